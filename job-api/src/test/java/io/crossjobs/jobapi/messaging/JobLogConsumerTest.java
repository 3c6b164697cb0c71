package io.crossjobs.jobapi.messaging;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LogChunk;
import io.crossjobs.events.OutputEnd;
import io.crossjobs.events.OutputStored;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** job-logs chunks, including re-shipped overlapping ones, → GET /jobs/{id}/logs; exits → OutputStored. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class JobLogConsumerTest {
    private static final String PROVISIONER = "/crossjobs/provisioner-aws";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void chunksAssembleIntoTheHeadNodesOutputPerAttempt() {
        String id = TestEvents.submit("logs-demo");
        asAdmin().get("/jobs/" + id + "/logs").then().statusCode(200).body(equalTo(""));

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(
                    chunk(id, 1, 0, 0, "line 1\nline 2\n"),
                    chunk(id, 1, 0, 14, "line 3\n"),
                    chunk(id, 1, 1, 0, "worker node output\n"),
                    // the provisioner restarted and shipped from offset 0 again, reaching further
                    chunk(id, 1, 0, 0, "line 1\nline 2\nline 3\nline 4\n"),
                    // and the next chunk overlaps the end of that one
                    chunk(id, 1, 0, 21, "line 4\nline 5\n"),
                    chunk(id, 1, 0, 14, "line 3\n"),
                    chunk(id, 2, 0, 0, "retry 1\n"),
                    // a NUL, which PostgreSQL text cannot hold, is stored as SUB (one byte too)
                    chunk(id, 2, 0, 8, "nul\u0000here\n")
            ).awaitCompletion(Duration.ofSeconds(30));
        }

        String expected = "line 1\nline 2\nline 3\nline 4\nline 5\n--- attempt 2 ---\nretry 1\nnul\u001Ahere\n";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id + "/logs").then().statusCode(200)
                        .contentType(startsWith("text/plain"))
                        .body(equalTo(expected)));
        asAdmin().get("/jobs/" + id + "/logs?tail=2").then().statusCode(200)
                .body(equalTo("retry 1\nnul\u001Ahere\n"));
        asAdmin().get("/jobs/" + id + "/logs?tail=-1").then().statusCode(400)
                .contentType("application/problem+json");
        asAdmin().get("/jobs/987654321/logs").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void eachNodesOutputIsAskedForByItsRankAndARankTheJobHasNotIsRefused() {
        String id = asAdmin().contentType("application/yaml")
                .body("name: two-nodes\nnum_nodes: 2\nresources:\n  cloud: aws\nrun: echo hi\n".getBytes())
                .post("/jobs").then().statusCode(201).extract().path("id");

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(
                    chunk(id, 1, 0, 0, "head says hi\n"),
                    chunk(id, 1, 1, 0, "worker says hi\n")
            ).awaitCompletion(Duration.ofSeconds(30));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id + "/logs?node=1").then().statusCode(200).body(equalTo("worker says hi\n")));
        asAdmin().get("/jobs/" + id + "/logs").then().statusCode(200).body(equalTo("head says hi\n"));
        asAdmin().get("/jobs/" + id + "/logs?node=2").then().statusCode(400)
                .contentType("application/problem+json").body(containsString("node"));
        asAdmin().get("/jobs/" + id + "/logs?node=-1").then().statusCode(400);
    }

    /**
     * An exit on job-logs behind its chunks: once the output it announces is stored, the controller is told on
     * job-requests; an attempt whose stored output has a gap is not announced.
     */
    @Test
    void anExitWhoseOutputIsStoredIsAnnouncedToTheControllerAndOneWithAGapIsNot() throws Exception {
        String id = TestEvents.submit("output-stored");

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(
                    chunk(id, 1, 0, 0, "line 1\n"),
                    chunk(id, 1, 1, 0, "worker\n"),
                    chunk(id, 1, 0, 7, "line 2\n"),
                    chunk(id, 2, 0, 0, "retry\n"),
                    // attempt 2's chunk from byte 6 to 20 was lost on the way
                    chunk(id, 2, 0, 20, "late\n"),
                    exit(id, 2, List.of(new OutputEnd(0, 25))),
                    exit(id, 1, List.of(new OutputEnd(0, 14), new OutputEnd(1, 7)))
            ).awaitCompletion(Duration.ofSeconds(30));
        }

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 2);
        assertEquals(List.of("crossjobs.job.submitted.v1", "crossjobs.job.output-stored.v1"),
                records.stream().map(r -> TestEvents.header(r, "ce_type")).toList());
        OutputStored stored = (OutputStored) EventCodec.decode(TestEvents.header(records.get(1), "ce_type"),
                records.get(1).value());
        assertEquals(id, stored.jobId());
        assertEquals(1, stored.attempt());
        // attempt 2's exit came first on the partition, so it was handled by now: it wrote nothing
        assertEquals(1, TestEvents.count(db, "select count(*) from outbox where job_id = '" + id
                + "' and event_type = 'crossjobs.job.output-stored.v1'"));
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, String> exit(String id, int attempt,
                                                                                         List<OutputEnd> ends) {
        return TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new JobExited(id, attempt, "cj-" + id + "-" + attempt,
                RunPhase.RUN, 0, Instant.now(), ends));
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, String> chunk(
            String id, int attempt, int rank, long offset, String text) {
        return TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new LogChunk(id, attempt, rank, offset, text));
    }
}

package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.LogChunk;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** job-logs chunks, including re-shipped overlapping ones, → GET /jobs/{id}/logs. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class JobLogConsumerTest {
    private static final String PROVISIONER = "/crossjobs/provisioner-aws";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

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
                    chunk(id, 2, 0, 0, "retry 1\n")
            ).awaitCompletion(Duration.ofSeconds(30));
        }

        String expected = "line 1\nline 2\nline 3\nline 4\nline 5\n--- attempt 2 ---\nretry 1\n";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id + "/logs").then().statusCode(200)
                        .contentType(startsWith("text/plain"))
                        .body(equalTo(expected)));
        asAdmin().get("/jobs/" + id + "/logs?tail=2").then().statusCode(200)
                .body(equalTo("--- attempt 2 ---\nretry 1\n"));
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

    private static org.apache.kafka.clients.producer.ProducerRecord<String, String> chunk(
            String id, int attempt, int rank, long offset, String text) {
        return TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new LogChunk(id, attempt, rank, offset, text));
    }
}

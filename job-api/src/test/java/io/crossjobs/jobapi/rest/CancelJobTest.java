package io.crossjobs.jobapi.rest;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
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

import static io.crossjobs.jobapi.TestEvents.header;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class CancelJobTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void cancelIsPublishedOnceAfterTheSubmission() throws Exception {
        String id = TestEvents.submit("to-cancel");

        asAdmin().post("/jobs/" + id + "/cancel").then().statusCode(202)
                .body("id", equalTo(id)).body("status", equalTo("PENDING"))
                .body("cancelRequestedAt", notNullValue());
        asAdmin().post("/jobs/" + id + "/cancel").then().statusCode(202).body("id", equalTo(id));

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 2);
        assertEquals(List.of("crossjobs.job.submitted.v1", "crossjobs.job.cancel-requested.v1"),
                records.stream().map(r -> header(r, "ce_type")).toList());
        CancelRequested cancel = (CancelRequested) EventCodec.decode(header(records.get(1), "ce_type"),
                records.get(1).value());
        assertEquals(id, cancel.jobId());
        assertEquals("admin", cancel.requestedBy());
        // the repeated request was answered but not announced again
        assertEquals(1, TestEvents.count(db, "select count(*) from outbox where job_id = '" + id
                + "' and event_type = 'crossjobs.job.cancel-requested.v1'"));
    }

    @Test
    void aFinishedJobIsNotCancelledButAnsweredWithItsState() throws Exception {
        String id = TestEvents.submit("already-done");
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(TestEvents.record(Topics.JOB_STATUS, "/crossjobs/controller",
                    JobStatusChanged.of(id).name("already-done").owner("admin").from(JobStatus.RUNNING)
                            .to(JobStatus.SUCCEEDED).reason("run exited 0").exitCode(0).attempt(1).at(Instant.now())
                            .build()))
                    .awaitCompletion(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id).then().body("status", equalTo("SUCCEEDED")));

        asAdmin().post("/jobs/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")).body("cancelRequestedAt", nullValue());
        assertEquals(0, TestEvents.count(db, "select count(*) from outbox where job_id = '" + id
                + "' and event_type = 'crossjobs.job.cancel-requested.v1'"));
    }

    @Test
    void cancellingAnUnknownJobIs404() {
        asAdmin().post("/jobs/987654321/cancel").then().statusCode(404).contentType("application/problem+json");
        asAdmin().post("/jobs/x1/cancel").then().statusCode(404).contentType("application/problem+json");
    }
}

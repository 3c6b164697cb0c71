package io.crossjobs.jobapi.messaging;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static io.crossjobs.jobapi.TestEvents.header;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A submission while Kafka does not acknowledge anything is still accepted and kept in the outbox; once
 * sends succeed again the relay publishes it, the job's submit before its cancel.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class KafkaDownSubmitTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void aJobSubmittedWhileKafkaIsDownIsPublishedWhenItIsBackInOrder() throws Exception {
        int refusedBefore = SwitchableOutboxSender.REFUSED.get();
        SwitchableOutboxSender.DOWN.set(true);
        String id = TestEvents.submit("kafka-down");
        asAdmin().post("/jobs/" + id + "/cancel").then().statusCode(202);
        try {
            await().atMost(Duration.ofSeconds(30)).until(SwitchableOutboxSender.REFUSED::get,
                    greaterThanOrEqualTo(refusedBefore + 2));
            assertEquals(2, TestEvents.count(db, "select count(*) from outbox where job_id = '" + id
                    + "' and published_at is null"), "both events wait in the outbox");
        } finally {
            SwitchableOutboxSender.DOWN.set(false);
        }
        asAdmin().get("/jobs/" + id).then().statusCode(200);

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 2);
        assertEquals(List.of("crossjobs.job.submitted.v1", "crossjobs.job.cancel-requested.v1"),
                records.stream().map(r -> header(r, "ce_type")).toList());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(0, TestEvents.count(db,
                "select count(*) from outbox where job_id = '" + id + "' and published_at is null")));
    }
}

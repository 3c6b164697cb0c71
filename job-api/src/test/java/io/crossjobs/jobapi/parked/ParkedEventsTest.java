package io.crossjobs.jobapi.parked;

import io.crossjobs.events.EventType;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.service.messaging.ParkedRecord;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A record job-api cannot handle is parked (the channel's dead-letter queue), listed to admins, and replayable; the
 * records after it are handled as usual.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class ParkedEventsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CONTROLLER = "/crossjobs/controller";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ParkedEventStore store;
    @Inject
    ParkedRetention retention;

    @Test
    void aParkedRecordIsKeptForTheRetentionAndThenPurged() {
        Instant now = Instant.now();
        String old = "old-" + UUID.randomUUID();
        String recent = "recent-" + UUID.randomUUID();
        for (var parked : List.of(parkedAt(old, now.minus(Duration.ofDays(31))),
                parkedAt(recent, now.minus(Duration.ofDays(29))))) {
            assertTrue(store.store(parked, now).await().atMost(WAIT));
        }

        assertTrue(retention.purgeAt(now).await().atMost(WAIT) >= 1);

        asAdmin().get("/admin/parked-events/" + old).then().statusCode(404);
        asAdmin().get("/admin/parked-events/" + recent).then().statusCode(200).body("id", equalTo(recent));
    }

    private static ParkedRecord parkedAt(String id, Instant at) {
        return new ParkedRecord(id, "job-1", new ParkedRecord.Origin(Topics.JOB_STATUS, 0, 1L), "unreadable record",
                null, EventType.JOB_STATUS_CHANGED.ceType(), "{", Map.of(), at);
    }

    @Test
    void anUnreadableStatusIsParkedListedAndReplayableAndTheNextOneIsApplied() {
        String id = TestEvents.submit("parked-status");
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_type", bytes(EventType.JOB_STATUS_CHANGED.ceType())).add("ce_source", bytes(CONTROLLER));
        ProducerRecord<String, String> poison = new ProducerRecord<>(Topics.JOB_STATUS, null, id, "{\"to\": RUN",
                headers);
        JobStatusChanged running = JobStatusChanged.of(id).name("parked-status").owner("anonymous")
                .from(JobStatus.PENDING).to(JobStatus.RUNNING).reason("cluster up").attempt(1).at(Instant.now())
                .build();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(poison, TestEvents.record(Topics.JOB_STATUS, CONTROLLER, running))
                    .awaitCompletion(WAIT);
        }

        // the line goes on: the change after the unreadable one is applied
        await().atMost(WAIT).untilAsserted(() -> asAdmin().get("/jobs/" + id).then().body("status",
                equalTo("RUNNING")));
        Map<String, Object> parked = awaitParked(id, Topics.JOB_STATUS);
        assertEquals(EventType.JOB_STATUS_CHANGED.ceType(), parked.get("eventType"));
        assertEquals("{\"to\": RUN", parked.get("payload"));
        assertTrue(((String) parked.get("reason")).contains("unreadable record"), (String) parked.get("reason"));
        TestEvents.as(TestEvents.userToken("parked-user")).get("/admin/parked-events").then().statusCode(403);

        String parkedId = (String) parked.get("id");
        asAdmin().post("/admin/parked-events/" + parkedId + "/replay").then().statusCode(202)
                .body("replayedBy", equalTo("admin")).body("replayedAt", notNullValue());
        asAdmin().post("/admin/parked-events/" + parkedId + "/replay").then().statusCode(409)
                .body("detail", containsString("was replayed at"));
        // still unreadable, so parked again under a new id, with the same event id
        await().atMost(WAIT).until(() -> parkedOf(id, Topics.JOB_STATUS, false).size() == 1
                && !parkedOf(id, Topics.JOB_STATUS, false).get(0).get("id").equals(parkedId));
        asAdmin().get("/admin/parked-events/no-such-id").then().statusCode(404);
        asAdmin().get("/admin/parked-events?limit=0").then().statusCode(400).body("detail", containsString("limit"));
    }

    @Test
    void aSubmissionTheControllerCouldNotReadFailsItsJobAsControllerErrorAndCannotBeReplayed() {
        String id = TestEvents.submit("parked-submission");
        // as the controller's job-requests consumer parks it: the original record, its headers and why
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_type", bytes(EventType.JOB_SUBMITTED.ceType())).add("ce_source", bytes("/crossjobs/job-api"))
                .add("dead-letter-reason", bytes("job=" + id + " JobSubmitted could not be handled: a bug"))
                .add("dead-letter-topic", bytes(Topics.JOB_REQUESTS)).add("dead-letter-partition", bytes("2"))
                .add("dead-letter-offset", bytes("41"));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.PARKED, null, id, "{}", headers))
                    .awaitCompletion(WAIT);
        }

        await().atMost(WAIT).untilAsserted(() -> asAdmin().get("/jobs/" + id).then()
                .body("status", equalTo("FAILED_CONTROLLER"))
                .body("failureReason", equalTo("CONTROLLER_ERROR")));
        asAdmin().get("/jobs/" + id + "/events").then().statusCode(200)
                .body("[-1].reason", containsString("JobSubmitted could not be handled: a bug"));
        Map<String, Object> parked = awaitParked(id, Topics.JOB_REQUESTS);
        assertEquals(41, ((Number) parked.get("originOffset")).intValue());
        asAdmin().post("/admin/parked-events/" + parked.get("id") + "/replay").then().statusCode(409)
                .body("detail", containsString("has ended (FAILED_CONTROLLER)"));
    }

    private static Map<String, Object> awaitParked(String key, String topic) {
        return await().atMost(WAIT).until(() -> parkedOf(key, topic, true), list -> !list.isEmpty()).get(0);
    }

    private static List<Map<String, Object>> parkedOf(String key, String topic, boolean all) {
        JsonPath body = asAdmin().get("/admin/parked-events?limit=1000&all=" + all).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> items = body.getList("$");
        return items.stream().filter(p -> key.equals(p.get("key")) && topic.equals(p.get("originTopic"))).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

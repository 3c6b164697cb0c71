package io.crossjobs.jobapi;

import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Builds what other services would put on the topics, and submits jobs, for the @QuarkusTests. */
public final class TestEvents {

    /** A binary-mode CloudEvents record keyed by job id, as the controller and provisioners send them. */
    public static ProducerRecord<String, String> record(String topic, String eventId, String source, JobEvent event) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", eventId);
        header(headers, "ce_type", EventType.of(event).ceType());
        header(headers, "ce_source", source);
        header(headers, "ce_subject", event.jobId());
        header(headers, "content-type", "application/json");
        return new ProducerRecord<>(topic, null, event.jobId(), EventCodec.encode(event), headers);
    }

    public static ProducerRecord<String, String> record(String topic, String source, JobEvent event) {
        return record(topic, UUID.randomUUID().toString(), source, event);
    }

    /** The bootstrap admin token of the test profile. */
    public static final String ADMIN_TOKEN = "test-admin-token";

    public static io.restassured.specification.RequestSpecification asAdmin() {
        return as(ADMIN_TOKEN);
    }

    public static io.restassured.specification.RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** Submits a minimal valid job and returns its id. */
    public static String submit(String name) {
        return asAdmin().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"resources\":{\"cloud\":\"aws\",\"cpus\":\"2+\"},\"run\":\"echo hi\"}")
                .when().post("/jobs")
                .then().statusCode(201)
                .extract().path("id");
    }

    /** A new user's API token, made by the admin. */
    public static String userToken(String user) {
        return asAdmin().contentType(ContentType.JSON).body("{\"user\":\"" + user + "\"}")
                .post("/tokens").then().statusCode(201).extract().path("token");
    }

    /** Submits a one-line YAML task as the token's user; returns the job id. */
    public static String submitAs(String token, String name) {
        return as(token).contentType("application/yaml").body(("name: " + name + "\nrun: echo hi\n").getBytes())
                .post("/jobs").then().statusCode(201).extract().path("id");
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * Reads {@code topic} from the start until {@code atLeast} records keyed {@code key} are there (waiting
     * a moment longer would not prove that no more come: callers check what must not be there in the outbox).
     */
    public static List<ConsumerRecord<String, String>> awaitRecords(String bootstrap, String topic, String key,
                                                                    int atLeast) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap);
             var task = kafka.consumeStrings().withGroupId("test-" + UUID.randomUUID())
                     .withOffsetReset(OffsetResetStrategy.EARLIEST).fromTopics(topic)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> task.stream().filter(r -> key.equals(r.key())).count() >= atLeast);
            return task.stream().filter(r -> key.equals(r.key())).toList();
        }
    }

    /** A {@code select count(*) ...} straight from the service's database. */
    public static long count(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private TestEvents() { }
}

package io.crossjobs.jobapi.rest;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LogChunk;
import io.crossjobs.events.OutputEnd;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.crossjobs.jobapi.TestEvents.as;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The API's caps (test profile: {@code jobapi.limits.streams-per-token=4}, {@code webhooks-per-user=5},
 * {@code log-max-bytes=4096}): over one, the answer names it, its limit and the usage.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class LimitsTest {
    private static final int STREAMS = 4;
    private static final int WEBHOOKS = 5;
    private static final String PROVISIONER = "/crossjobs/provisioner-aws";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Stream<String>> open = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeStreams() {
        open.forEach(Stream::close);
    }

    /** Live streams and log follows share the token's slots; a closed one gives its slot back. */
    @Test
    void aTokenMayHoldOnlySoManyStreamsOpen() throws Exception {
        String token = TestEvents.userToken(unique("streams"));
        String job = TestEvents.submitAs(token, "followed");
        // a follow's answer starts with its first output
        produce(chunk(job, 1, 0, 0, "output\n"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(token).get("/jobs/" + job + "/logs").then().body(equalTo("output\n")));
        for (int i = 0; i < STREAMS - 1; i++) assertEquals(200, openStream(token, "jobs/stream").statusCode());
        assertEquals(200, openStream(token, "jobs/" + job + "/logs?follow=true").statusCode());

        HttpResponse<String> refused = http.send(get(token, "jobs/stream"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> refusedFollow = http.send(get(token, "jobs/" + job + "/logs?follow=true"),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> r : List.of(refused, refusedFollow)) {
            assertEquals(429, r.statusCode(), r.body());
            JsonPath problem = JsonPath.from(r.body());
            assertEquals("streams-per-token", problem.getString("quota"));
            assertEquals(STREAMS, problem.getInt("limit"));
            assertEquals(STREAMS, problem.getInt("usage"));
        }
        // another token of the same user has slots of its own; so has an admin
        String other = TestEvents.userToken(unique("streams-other"));
        assertEquals(200, openStream(other, "jobs/stream").statusCode());

        open.remove(0).close();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<Stream<String>> again = http.sendAsync(get(token, "jobs/stream"),
                    HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
            open.add(again.body());
            return again.statusCode() == 200;
        });
    }

    @Test
    void aUserMayRegisterOnlySoManyWebhooks() {
        String token = TestEvents.userToken(unique("hooks"));
        String first = null;
        for (int i = 0; i < WEBHOOKS; i++) {
            String id = register(token, i).then().statusCode(201).extract().path("id");
            if (first == null) first = id;
        }

        register(token, WEBHOOKS).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:crossjobs:problem:limit-reached"))
                .body("quota", equalTo("webhooks-per-user")).body("limit", equalTo(WEBHOOKS))
                .body("usage", equalTo(WEBHOOKS));
        as(token).get("/webhooks").then().body("size()", equalTo(WEBHOOKS));

        as(token).delete("/webhooks/" + first).then().statusCode(204);
        register(token, WEBHOOKS).then().statusCode(201);
    }

    /**
     * Past the cap a chunk and every later one are not stored: the job keeps the start of its output, its logs end
     * with a line saying so, and its exit is announced to the controller (nothing more will be stored to wait for).
     */
    @Test
    void aJobsStoredOutputIsCappedKeepingItsStart() throws Exception {
        String id = asAdmin().contentType(ContentType.JSON)
                .body("{\"num_nodes\": 2, \"resources\": {\"cloud\": \"aws\"}, \"run\": \"echo hi\"}")
                .post("/jobs").then().statusCode(201).extract().path("id");
        String start = "a".repeat(2999) + "\n";
        produce(chunk(id, 1, 0, 0, start),
                chunk(id, 1, 1, 0, "worker\n"),
                // re-shipped longer: counts its new length
                chunk(id, 1, 1, 0, "worker\nmore\n"),
                chunk(id, 1, 0, 3000, "b".repeat(1999) + "\n"),
                chunk(id, 1, 0, 5000, "c\n"),
                TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new JobExited(id, 1, "cj-" + id + "-1", RunPhase.RUN,
                        0, Instant.now(), List.of(new OutputEnd(0, 5002), new OutputEnd(1, 12)))));

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 2);
        assertEquals("crossjobs.job.output-stored.v1", TestEvents.header(records.get(1), "ce_type"));
        asAdmin().get("/jobs/" + id + "/logs").then().statusCode(200).body(equalTo(start
                + "[crossjobs] this job's output reached jobapi.limits.log-max-bytes (4096 bytes, all nodes and "
                + "attempts together): later output was not stored\n"));
        asAdmin().get("/jobs/" + id + "/logs?node=1").then().body(startsWith("worker\nmore\n[crossjobs] this job's output"));
        assertEquals(3012, TestEvents.count(db, "select sum(octet_length(text)) from job_log_chunks where job_id = "
                + id));
        assertEquals(3012, TestEvents.count(db, "select log_bytes from jobs where id = " + id));
    }

    /**
     * A follow reads only the chunks stored since its last look: a chunk stamped long before (as if it had been read
     * already) is in a plain read of the log, never in the follow; the follow's next chunk is.
     */
    @Test
    void aFollowReadsOnlyNewOutput() throws Exception {
        String token = TestEvents.userToken(unique("follower"));
        String id = TestEvents.submitAs(token, "followed");
        List<String> lines = new CopyOnWriteArrayList<>();
        // a follow's answer starts with its first output
        produce(chunk(id, 1, 0, 0, "one\n"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(token).get("/jobs/" + id + "/logs").then().body(equalTo("one\n")));
        HttpResponse<Stream<String>> follow = openStream(token, "jobs/" + id + "/logs?follow=true");
        Thread reader = new Thread(() -> follow.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("one"));

        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into job_log_chunks (job_id, attempt, node_rank, byte_offset, text, received_at)
                values (?, 1, 0, 100, 'backdated\n', now() - interval '1 hour')""")) {
            s.setLong(1, Long.parseLong(id));
            s.executeUpdate();
        }
        produce(chunk(id, 1, 0, 4, "two\n"));

        await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("two"));
        as(token).get("/jobs/" + id + "/logs").then().body(equalTo("one\ntwo\nbackdated\n"));
        assertEquals(List.of("one", "two"), lines);
    }

    @SafeVarargs
    private void produce(ProducerRecord<String, String>... records) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
        }
    }

    private static ProducerRecord<String, String> chunk(String id, int attempt, int rank, long offset, String text) {
        return TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new LogChunk(id, attempt, rank, offset, text));
    }

    private io.restassured.response.Response register(String token, int i) {
        return as(token).contentType(ContentType.JSON).body("{\"url\":\"https://example.com/hook-" + i + "\"}")
                .post("/webhooks");
    }

    private HttpResponse<Stream<String>> openStream(String token, String path) throws Exception {
        HttpResponse<Stream<String>> r = http.sendAsync(get(token, path), HttpResponse.BodyHandlers.ofLines())
                .get(30, TimeUnit.SECONDS);
        open.add(r.body());
        return r;
    }

    private HttpRequest get(String token, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build();
    }

    private static String unique(String user) {
        return user + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

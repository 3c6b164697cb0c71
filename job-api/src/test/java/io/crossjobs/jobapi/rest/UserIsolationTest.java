package io.crossjobs.jobapi.rest;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.LogChunk;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.crossjobs.jobapi.TestEvents.as;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What user B can learn of user A's jobs and webhooks: nothing. (Reading, events, logs and cancel by id are
 * covered in {@link UsersAndTokensTest}; this adds followed logs, the live stream and webhooks.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class UserIsolationTest {
    private static final String CONTROLLER = "/crossjobs/controller";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newHttpClient();
    /** The live streams a test opened, closed after it. */
    private final List<Stream<String>> streams = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeStreams() {
        streams.forEach(Stream::close);
    }

    @Test
    void anotherUsersLogsCannotBeFollowed() throws Exception {
        String alice = token("alice");
        String bob = token("bob");
        String job = submit(alice, "alice-logs");
        produce(TestEvents.record(Topics.JOB_LOGS, "/crossjobs/provisioner-aws",
                new LogChunk(job, 1, 0, 0, "alice's output\n")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(alice).get("/jobs/" + job + "/logs").then().statusCode(200).body(equalTo("alice's output\n")));

        HttpResponse<String> followed = http.send(get(bob, "jobs/" + job + "/logs?follow=true"),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(404, followed.statusCode(), followed.body());
        assertTrue(!followed.body().contains("alice's output"), followed.body());
        as(bob).get("/jobs/" + job + "/logs?tail=5").then().statusCode(404);
    }

    @Test
    void theLiveStreamCarriesOnlyTheCallersJobs() throws Exception {
        String aliceName = unique("alice");
        String bobName = unique("bob");
        String alice = tokenOf(aliceName);
        String bob = tokenOf(bobName);
        String aliceJob = submit(alice, "alice-stream");
        String bobJob = submit(bob, "bob-stream");
        List<String> seen = follow(bob);

        // alice's change is applied (and broadcast) before bob's is even produced, so on bob's stream it would
        // come first: once bob's line is there, alice's can no longer arrive unnoticed
        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(aliceJob, aliceName)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(alice).get("/jobs/" + aliceJob).then().body("status", equalTo("STARTING")));
        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(bobJob, bobName)));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                seen.stream().anyMatch(l -> l.contains("\"jobId\":\"" + bobJob + "\"")));

        assertTrue(seen.stream().noneMatch(l -> l.contains("\"jobId\":\"" + aliceJob + "\"")), seen.toString());
    }

    /**
     * A status change is routed to the job's owner as job-api stored it: an event naming another owner (a bug, or a
     * record forged by whoever can write job-status) reaches neither that user's stream nor their name on it.
     */
    @Test
    void aChangeNamingAnotherOwnerReachesOnlyTheJobsOwner() throws Exception {
        String aliceName = unique("alice");
        String bobName = unique("bob");
        String alice = tokenOf(aliceName);
        String bob = tokenOf(bobName);
        String aliceJob = submit(alice, "alice-forged");
        String bobJob = submit(bob, "bob-own");
        as(alice).contentType(ContentType.JSON).body("{\"url\":\"https://example.com/alice-forged\"}")
                .post("/webhooks").then().statusCode(201);
        List<String> bobSees = follow(bob);
        List<String> aliceSees = follow(alice);

        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(aliceJob, bobName)));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                aliceSees.stream().anyMatch(l -> l.contains("\"jobId\":\"" + aliceJob + "\"")));
        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(bobJob, bobName)));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                bobSees.stream().anyMatch(l -> l.contains("\"jobId\":\"" + bobJob + "\"")));

        assertTrue(bobSees.stream().noneMatch(l -> l.contains("\"jobId\":\"" + aliceJob + "\"")), bobSees.toString());
        assertTrue(aliceSees.stream().filter(l -> l.contains(aliceJob))
                .allMatch(l -> l.contains("\"owner\":\"" + aliceName + "\"")), aliceSees.toString());
        // her webhook's delivery says so too
        try (var c = db.getConnection(); var q = c.prepareStatement(
                "select payload from webhook_deliveries where job_id = ?")) {
            q.setString(1, aliceJob);
            try (var r = q.executeQuery()) {
                assertTrue(r.next(), "no delivery of alice's change");
                assertTrue(r.getString(1).contains("\"owner\":\"" + aliceName + "\""), r.getString(1));
            }
        }
    }

    /** An admin's webhook hears every user's jobs while its owner is an admin, and only their own once revoked. */
    @Test
    void aRevokedAdminsWebhookHearsOnlyTheirOwnJobsFromThenOn() throws Exception {
        String carolName = unique("carol");
        var carolToken = asAdmin().contentType(ContentType.JSON)
                .body("{\"user\":\"" + carolName + "\",\"admin\":true}").post("/tokens").then().statusCode(201)
                .extract();
        String carol = carolToken.path("token");
        String daveName = unique("dave");
        String dave = tokenOf(daveName);
        String hook = as(carol).contentType(ContentType.JSON).body("{\"url\":\"https://example.com/carol\"}")
                .post("/webhooks").then().statusCode(201).extract().path("id");
        String before = submit(dave, "dave-before");
        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(before, daveName)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAdmin().get("/webhooks/" + hook + "/deliveries")
                .then().statusCode(200).body("jobId", hasItem(before)));

        asAdmin().delete("/tokens/" + carolToken.path("id")).then().statusCode(204);
        String after = submit(dave, "dave-after");
        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(after, daveName)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(dave).get("/jobs/" + after).then().body("status", equalTo("STARTING")));

        asAdmin().get("/webhooks/" + hook + "/deliveries").then().statusCode(200)
                .body("jobId", hasItem(before)).body("jobId", not(hasItem(after)));
    }

    /**
     * Every read the API documents (its OpenAPI document, so an endpoint added later is covered without editing this
     * test), called by bob with alice's job id in each path parameter: none answers with anything of alice's. The
     * live stream (an endpoint that does not end) is {@link #theLiveStreamCarriesOnlyTheCallersJobs}.
     */
    @Test
    void noDocumentedReadShowsAnotherUsersJob() throws Exception {
        String aliceName = unique("alice");
        String alice = tokenOf(aliceName);
        String bob = token("bob");
        String secretName = unique("alice-secret");
        String aliceJob = submit(alice, secretName);
        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(aliceJob, aliceName)));
        produce(TestEvents.record(Topics.JOB_LOGS, "/crossjobs/provisioner-aws",
                new LogChunk(aliceJob, 1, 0, 0, secretName + " output\n")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(alice).get("/jobs/" + aliceJob + "/logs").then().body(containsString(secretName)));

        Map<String, Map<String, Object>> paths = JsonPath.from(io.restassured.RestAssured.given()
                .accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().asString())
                .getMap("paths");
        List<String> checked = new ArrayList<>();
        for (var entry : paths.entrySet()) {
            String path = entry.getKey();
            if (!entry.getValue().containsKey("get") || path.endsWith("/stream")) continue;
            String concrete = path.replaceAll("\\{[^}]+}", aliceJob);
            HttpResponse<String> r = http.send(get(bob, concrete.substring(1)), HttpResponse.BodyHandlers.ofString());
            checked.add("GET " + concrete + " -> " + r.statusCode());
            assertTrue(!r.body().contains(aliceName) && !r.body().contains(secretName)
                            && !r.body().contains("\"" + aliceJob + "\""),
                    "GET " + concrete + " showed bob alice's job: " + r.statusCode() + " " + r.body());
        }
        assertTrue(checked.stream().anyMatch(c -> c.startsWith("GET /cost ")), checked.toString());
        assertTrue(checked.stream().anyMatch(c -> c.startsWith("GET /jobs/" + aliceJob + "/tasks ")), checked.toString());
        assertTrue(checked.size() >= 15, "only " + checked);
        // alice herself sees it, so the reads above had something to show
        as(alice).get("/jobs").then().statusCode(200).body(containsString(secretName));
    }

    /** The data lines of {@code GET /jobs/stream} as {@code token} receives them from now on. */
    private List<String> follow(String token) throws Exception {
        HttpResponse<Stream<String>> stream = http.sendAsync(get(token, "jobs/stream"),
                HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode());
        streams.add(stream.body());
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> stream.body().filter(l -> l.startsWith("data:")).forEach(seen::add));
        reader.setDaemon(true);
        reader.start();
        return seen;
    }

    @Test
    void anotherUsersWebhooksAreInvisible() {
        String alice = token("alice");
        String bob = token("bob");
        String hook = as(alice).contentType(ContentType.JSON).body("{\"url\":\"https://example.com/alice\"}")
                .post("/webhooks").then().statusCode(201).extract().path("id");

        as(alice).get("/webhooks").then().statusCode(200).body("id", hasItem(hook));
        as(bob).get("/webhooks").then().statusCode(200).body("id", not(hasItem(hook)))
                .body("url", not(hasItem("https://example.com/alice")));
        as(bob).get("/webhooks/" + hook + "/deliveries").then().statusCode(404);
        as(bob).delete("/webhooks/" + hook).then().statusCode(404);
        as(alice).get("/webhooks").then().body("id", hasItem(hook));
        asAdmin().get("/webhooks").then().body("id", hasItem(hook));
    }

    private HttpRequest get(String token, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30)).GET().build();
    }

    private void produce(ProducerRecord<String, String> record) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
        }
    }

    private static JobStatusChanged change(String id, String owner) {
        return JobStatusChanged.of(id).name("demo").owner(owner).from(JobStatus.PENDING).to(JobStatus.STARTING)
                .reason("test").attempt(1).at(Instant.now()).build();
    }

    private static String token(String user) {
        return tokenOf(unique(user));
    }

    private static String unique(String user) {
        return user + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String tokenOf(String user) {
        return asAdmin().contentType(ContentType.JSON).body("{\"user\":\"" + user + "\"}")
                .post("/tokens").then().statusCode(201).extract().path("token");
    }

    private static String submit(String token, String name) {
        return as(token).contentType("application/yaml").body(("name: " + name + "\nrun: echo hi\n").getBytes())
                .post("/jobs").then().statusCode(201).extract().path("id");
    }
}

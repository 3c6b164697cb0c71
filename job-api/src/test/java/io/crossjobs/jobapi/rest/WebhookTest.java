package io.crossjobs.jobapi.rest;

import com.sun.net.httpserver.HttpServer;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.jobapi.service.WebhookSignatures;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Status changes reach a webhook as signed CloudEvents, retried with backoff after a failure, and logged. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class WebhookTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    record Received(Map<String, List<String>> headers, String body) { }

    @Test
    void aFailedDeliveryIsRetriedSignedAndLogged() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
            exchange.sendResponseHeaders(calls.incrementAndGet() == 1 ? 500 : 204, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
            var created = asAdmin().contentType(ContentType.JSON)
                    .body("{\"url\":\"" + url + "\",\"statuses\":[\"running\"]}")
                    .post("/webhooks").then().statusCode(201).body("statuses", equalTo(List.of("RUNNING")))
                    .extract();
            String hookId = created.path("id");
            String secret = created.path("secret");
            asAdmin().get("/webhooks").then().statusCode(200).body("id", hasItem(hookId))
                    .body("find { it.id == '" + hookId + "' }.secret", equalTo(null));

            String job = TestEvents.submit("hooked");
            try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
                kafka.produceStrings().fromRecords(
                        TestEvents.record(Topics.JOB_STATUS, "/crossjobs/controller", change(job, JobStatus.PENDING,
                                JobStatus.STARTING)),
                        TestEvents.record(Topics.JOB_STATUS, "/crossjobs/controller", change(job, JobStatus.STARTING,
                                JobStatus.RUNNING))).awaitCompletion(Duration.ofSeconds(30));
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    asAdmin().get("/webhooks/" + hookId + "/deliveries").then().statusCode(200)
                            .body("[0].state", equalTo("DELIVERED")).body("[0].attempts", equalTo(2))
                            .body("size()", equalTo(1)));
            assertEquals(2, received.size(), "a failure, then the retry");
            Received last = received.get(1);
            assertEquals(received.get(0).body(), last.body(), "a retry sends the same event");
            assertEquals(List.of(WebhookSignatures.sign(secret, last.body())), last.headers().get("X-crossjobs-signature"));
            assertTrue(last.headers().get("Content-type").get(0).startsWith("application/cloudevents+json"));
            JsonPath event = JsonPath.from(last.body());
            assertEquals("1.0", event.getString("specversion"));
            assertEquals("crossjobs.job.status-changed.v1", event.getString("type"));
            assertEquals(job, event.getString("subject"));
            assertEquals("RUNNING", event.getString("data.to"));

            asAdmin().contentType(ContentType.JSON).body("{\"url\":\"ftp://example.com/x\",\"statuses\":[\"DONE\"]}")
                    .post("/webhooks").then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("statuses[0]", "url")));
            asAdmin().delete("/webhooks/" + hookId).then().statusCode(204);
            asAdmin().delete("/webhooks/" + hookId).then().statusCode(404);
        } finally {
            server.stop(0);
        }
    }

    /** A delivery whose webhook was deleted while it waited for a retry is given up, not sent again. */
    @Test
    void aDeliveryOfADeletedWebhookIsGivenUp() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/down", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/down";
            String hookId = runningHook(url);
            String job = runningJob("unhooked");
            String ofJob = "find { it.jobId == '" + job + "' }";
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    asAdmin().get("/webhooks/" + hookId + "/deliveries").then().statusCode(200)
                            .body(ofJob + ".state", equalTo("PENDING"))
                            .body(ofJob + ".lastStatusCode", equalTo(503))
                            .body(ofJob + ".lastError", equalTo("HTTP 503"))
                            .body(ofJob + ".nextAttemptAt", notNullValue())
                            .body(ofJob + ".deliveredAt", nullValue()));

            asAdmin().delete("/webhooks/" + hookId).then().statusCode(204);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    asAdmin().get("/webhooks/" + hookId + "/deliveries").then().statusCode(200)
                            .body(ofJob + ".state", equalTo("FAILED"))
                            .body(ofJob + ".lastStatusCode", nullValue())
                            .body(ofJob + ".lastError", equalTo("webhook deleted"))
                            .body(ofJob + ".deliveredAt", nullValue()));
            // an admin's webhook hears every job: count the sends of this one
            long sent = bodies.stream().filter(b -> job.equals(JsonPath.from(b).getString("subject"))).count();
            int attempts = asAdmin().get("/webhooks/" + hookId + "/deliveries").then().extract().path(ofJob + ".attempts");
            assertEquals(sent + 1, attempts, "each send counted once, and the give-up");
        } finally {
            server.stop(0);
        }
    }

    /** A receiver's 429 is waited out as long as its Retry-After asks, and its answer's body is kept in the error. */
    @Test
    void aRefusalsRetryAfterIsHonouredAndItsBodyKept() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/busy", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "rate_limited".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "120");
            exchange.sendResponseHeaders(429, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/busy";
            String hookId = runningHook(url);
            Instant sent = Instant.now();
            String job = runningJob("rate-limited");
            String ofJob = "find { it.jobId == '" + job + "' }";
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    asAdmin().get("/webhooks/" + hookId + "/deliveries").then().statusCode(200)
                            .body(ofJob + ".lastError", equalTo("HTTP 429: rate_limited")));
            String next = asAdmin().get("/webhooks/" + hookId + "/deliveries").then().extract().path(ofJob + ".nextAttemptAt");
            assertTrue(Instant.parse(next).isAfter(sent.plusSeconds(100)),
                    "the next attempt waits Retry-After's 120 s, not the 200 ms backoff: " + next);
            asAdmin().delete("/webhooks/" + hookId).then().statusCode(204);
        } finally {
            server.stop(0);
        }
    }

    /** An admin's webhook for RUNNING changes, at {@code url}; its id. */
    private static String runningHook(String url) {
        return asAdmin().contentType(ContentType.JSON).body("{\"url\":\"" + url + "\",\"statuses\":[\"RUNNING\"]}")
                .post("/webhooks").then().statusCode(201).extract().path("id");
    }

    /** A job submitted and reported RUNNING on job-status; its id. */
    private String runningJob(String name) {
        String job = TestEvents.submit(name);
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(TestEvents.record(Topics.JOB_STATUS, "/crossjobs/controller",
                    change(job, JobStatus.PENDING, JobStatus.RUNNING))).awaitCompletion(Duration.ofSeconds(30));
        }
        return job;
    }

    private static JobStatusChanged change(String id, JobStatus from, JobStatus to) {
        return JobStatusChanged.of(id).name("hooked").owner("admin").from(from).to(to).reason("test").attempt(1)
                .at(Instant.now()).build();
    }
}

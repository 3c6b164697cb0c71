package io.crossjobs.jobapi.rest;

import com.sun.net.httpserver.HttpServer;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.crossjobs.jobapi.TestEvents.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Slack- and Discord-format webhooks: each receives, for the statuses it chose only, the message its template renders,
 * in the body its chat service expects, unsigned; bad formats and templates are refused naming the field.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class ChatWebhookTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    record Received(Map<String, List<String>> headers, String body) { }

    @Test
    void slackAndDiscordWebhooksReceiveTheirRenderedMessagesForTheirStatusesOnly() throws Exception {
        List<Received> slack = new CopyOnWriteArrayList<>();
        List<Received> discord = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/slack", exchange -> {
            slack.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8); // Slack's answer
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.createContext("/discord", exchange -> {
            discord.add(new Received(Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1); // Discord's answer without ?wait=true
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            String token = TestEvents.userToken("chat-user");
            var slackHook = as(token).contentType(ContentType.JSON).body("""
                    {"url": "%s/slack", "format": "slack", "notify_on": ["succeeded", "FAILED"],
                     "template": "{name} (job {job_id}) {status} on {cloud}/{region} after {duration}; exit {exit_code}"}
                    """.formatted(base)).post("/webhooks").then().statusCode(201)
                    .body("format", equalTo("slack")).body("statuses", equalTo(List.of("SUCCEEDED", "FAILED")))
                    .body("secret", nullValue()).extract();
            String slackId = slackHook.path("id");
            String discordId = as(token).contentType(ContentType.JSON)
                    .body("{\"url\":\"" + base + "/discord\",\"format\":\"discord\",\"statuses\":[\"FAILED\"]}")
                    .post("/webhooks").then().statusCode(201).extract().path("id");
            as(token).get("/webhooks").then().statusCode(200)
                    .body("find { it.id == '" + discordId + "' }.format", equalTo("discord"))
                    .body("find { it.id == '" + discordId + "' }.template", equalTo(
                            "**Job {job_id} ({name})** {status} on {cloud}/{region} in {duration}: {reason}"))
                    .body("find { it.id == '" + slackId + "' }.template", equalTo(
                            "{name} (job {job_id}) {status} on {cloud}/{region} after {duration}; exit {exit_code}"));

            String good = TestEvents.submitAs(token, "good");
            String bad = TestEvents.submitAs(token, "bad");
            Instant goodSubmitted = Instant.parse(as(token).get("/jobs/" + good).then().extract().path("submittedAt"));
            Instant badSubmitted = Instant.parse(as(token).get("/jobs/" + bad).then().extract().path("submittedAt"));
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            records.addAll(run(good, "good", goodSubmitted, JobStatus.SUCCEEDED, 0, 125));
            records.addAll(run(bad, "bad", badSubmitted, JobStatus.FAILED, 3, 3725));
            try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
                kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                as(token).get("/webhooks/" + slackId + "/deliveries").then().statusCode(200)
                        .body("state", equalTo(List.of("DELIVERED", "DELIVERED")))
                        .body("lastStatusCode", equalTo(List.of(200, 200)));
                as(token).get("/webhooks/" + discordId + "/deliveries").then().statusCode(200)
                        .body("state", equalTo(List.of("DELIVERED"))).body("lastStatusCode", equalTo(List.of(204)));
            });
            assertEquals(List.of("bad (job " + bad + ") FAILED on aws/us-east-1 after 1h 2m; exit 3",
                            "good (job " + good + ") SUCCEEDED on aws/us-east-1 after 2m 5s; exit 0"),
                    slack.stream().map(r -> JsonPath.from(r.body()).getString("text")).sorted().toList(),
                    "one message per chosen status, none for PENDING, STARTING or RUNNING");
            assertEquals(1, discord.size());
            JsonPath discordBody = JsonPath.from(discord.get(0).body());
            assertEquals("**Job " + bad + " (bad)** FAILED on aws/us-east-1 in 1h 2m: run exited with code 3",
                    discordBody.getString("content"));
            assertEquals(List.of(), discordBody.getList("allowed_mentions.parse"));
            for (Received r : List.of(slack.get(0), discord.get(0))) {
                assertEquals(List.of("application/json; charset=UTF-8"), r.headers().get("Content-type"));
                assertNull(r.headers().get("X-crossjobs-signature"), "a chat message is not signed");
                assertFalse(r.headers().get("X-crossjobs-delivery").isEmpty());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badFormatsAndTemplatesAreRefusedNamingTheFieldAndNothingIsStored() {
        String token = TestEvents.userToken("chat-refused");
        String url = "http://127.0.0.1:9/hook";
        refused(token, "{\"url\":\"" + url + "\",\"format\":\"teams\"}", List.of("format"),
                List.of("'teams' is not a format; one of crossjobs, slack, discord"));
        refused(token, "{\"url\":\"" + url + "\",\"format\":\"slack\",\"template\":\"{job} is {state}\"}",
                List.of("template"), List.of("unknown placeholders {job}, {state}; known: {job_id}, {name}, {owner}, "
                        + "{status}, {from}, {reason}, {failure_reason}, {exit_code}, {cloud}, {region}, {zone}, "
                        + "{instance_type}, {attempt}, {cost}, {duration}"));
        refused(token, "{\"url\":\"" + url + "\",\"format\":\"discord\",\"template\":\"Job {job_id\"}",
                List.of("template"), List.of("'{' at position 5 is not closed; write {{ for a literal {"));
        refused(token, "{\"url\":\"" + url + "\",\"template\":\"{status}\"}", List.of("template"),
                List.of("applies to the chat formats (slack, discord) only; the crossjobs format sends the event itself"));
        refused(token, "{\"url\":\"" + url + "\",\"format\":\"slack\",\"template\":\"" + "x".repeat(2001) + "\"}",
                List.of("template"), List.of("must be at most 2000 characters"));
        refused(token, "{\"url\":\"" + url + "\",\"statuses\":[\"FAILED\"],\"notify_on\":[\"FAILED\"]}",
                List.of("notify_on"), List.of("give statuses or notify_on (the same list), not both"));
        refused(token, "{\"url\":\"" + url + "\",\"format\":\"slack\",\"notify_on\":[\"DONE\"]}",
                List.of("notify_on[0]"), List.of("'DONE' is not a job status"));
        as(token).contentType(ContentType.JSON).body("{\"url\":\"" + url + "\",\"notifyOn\":[\"FAILED\"]}")
                .post("/webhooks").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("notifyOn"));
        as(token).get("/webhooks").then().statusCode(200).body("$", hasSize(0));
    }

    private static void refused(String token, String body, List<String> fields, List<String> messages) {
        as(token).contentType(ContentType.JSON).body(body).post("/webhooks").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(fields)).body("errors.message", equalTo(messages));
    }

    /** A job's way from PENDING to its end, {@code seconds} after its submission, on aws/us-east-1. */
    private static List<ProducerRecord<String, String>> run(String job, String name, Instant submitted, JobStatus end,
                                                             int exitCode, long seconds) {
        Placement placement = Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceType("t3.medium").pricePerHour(0.0416).build();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        JobStatus[] way = {JobStatus.PENDING, JobStatus.STARTING, JobStatus.RUNNING, end};
        for (int i = 1; i < way.length; i++) {
            boolean last = i == way.length - 1;
            JobStatusChanged e = JobStatusChanged.of(job).name(name).from(way[i - 1]).to(way[i])
                    .reason(last ? "run exited with code " + exitCode : "test").exitCode(last ? exitCode : null)
                    .attempt(1).placement(placement).at(submitted.plusSeconds(last ? seconds : i)).build();
            records.add(TestEvents.record(Topics.JOB_STATUS, "/crossjobs/controller", e));
        }
        return records;
    }
}

package io.crossjobs.jobapi.rest;

import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.LogChunk;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Followed logs end with the job; /jobs/stream carries status changes as server-sent events. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class LiveUpdatesTest {
    private static final String CONTROLLER = "/crossjobs/controller";
    private static final String PROVISIONER = "/crossjobs/provisioner-aws";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void followedLogsStreamNewLinesAndEndWhenTheJobEnds() throws Exception {
        String id = TestEvents.submit("follow-demo");
        CompletableFuture<HttpResponse<String>> followed = http.sendAsync(
                request("jobs/" + id + "/logs?follow=true"), HttpResponse.BodyHandlers.ofString());

        produce(TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new LogChunk(id, 1, 0, 0, "one\n")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id + "/logs").then().body(equalTo("one\n")));
        produce(TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new LogChunk(id, 1, 0, 4, "two\n")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id + "/logs").then().body(equalTo("one\ntwo\n")));
        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(id, JobStatus.PENDING, JobStatus.SUCCEEDED)));

        HttpResponse<String> response = followed.get(60, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("one\ntwo\n", response.body());
        asAdmin().get("/jobs/" + id + "/logs?follow=true&tail=1").then().statusCode(200).body(equalTo("two\n"));
    }

    @Test
    void outputStoredJustAfterTheTerminalStatusStillReachesTheFollower() throws Exception {
        String id = TestEvents.submit("late-output");
        CompletableFuture<HttpResponse<String>> followed = http.sendAsync(
                request("jobs/" + id + "/logs?follow=true"), HttpResponse.BodyHandlers.ofString());
        produce(TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new LogChunk(id, 1, 0, 0, "first\n")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id + "/logs").then().body(equalTo("first\n")));

        // job-logs and job-status are separate topics: the run's last line may be stored after its end
        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(id, JobStatus.PENDING, JobStatus.FAILED)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id).then().body("status", equalTo("FAILED")));
        produce(TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new LogChunk(id, 1, 0, 6, "last words\n")));

        HttpResponse<String> response = followed.get(60, TimeUnit.SECONDS);
        assertEquals("first\nlast words\n", response.body());
    }

    @Test
    void theStreamCarriesStatusChangesOfVisibleJobs() throws Exception {
        String id = TestEvents.submit("stream-demo");
        HttpResponse<Stream<String>> stream = http.sendAsync(request("jobs/stream"),
                HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> stream.body()
                .filter(line -> line.startsWith("data:") && line.contains("\"jobId\":\"" + id + "\""))
                .findFirst().orElse(""));

        produce(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(id, JobStatus.PENDING, JobStatus.STARTING)));

        String event = seen.get(60, TimeUnit.SECONDS);
        assertTrue(event.contains("\"to\":\"STARTING\""), event);
        stream.body().close();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + TestEvents.ADMIN_TOKEN).GET().build();
    }

    private void produce(ProducerRecord<String, String> record) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(record).awaitCompletion(Duration.ofSeconds(30));
        }
    }

    private static JobStatusChanged change(String id, JobStatus from, JobStatus to) {
        return JobStatusChanged.of(id).name("demo").owner("admin").from(from).to(to).reason("test")
                .exitCode(to.isTerminal() ? 0 : null).attempt(1).at(Instant.now()).build();
    }
}

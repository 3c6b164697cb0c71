package io.crossjobs.jobapi.rest;

import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.LogChunk;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/**
 * {@code GET /jobs/{id}/tasks} and {@code GET /jobs/{id}/logs?task=N}: a pipeline's status changes, as the
 * controller sends them on job-status (each naming its task and placement), and its output, as the provisioners ship
 * it on job-logs (each task on its own attempts), read back per task.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class PipelineTasksResourceTest {
    private static final String CONTROLLER = "/crossjobs/controller";
    private static final String PROVISIONER = "/crossjobs/provisioner-aws";
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Placement TRAIN_ON = Placement.builder().cloud("aws").region("us-east-1")
            .zone("us-east-1b").instanceType("m6i.large").spot(true).pricePerHour(0.0384).build();
    private static final Placement EVAL_ON = Placement.builder().cloud("gcp").region("us-central1")
            .zone("us-central1-a").instanceType("n2-standard-2").pricePerHour(0.0971).build();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void eachTaskShowsItsStatusPlacementTimesAndOutput() {
        String id = submitPipeline("tasks-ok");
        asAdmin().get("/jobs/" + id + "/tasks").then().statusCode(200)
                .body("name", contains("train", "eval"))
                .body("status", contains("PENDING", "PENDING"))
                .body("placement", contains(nullValue(), nullValue()));

        produce(
                status(change(id, null, JobStatus.PENDING).at(at(0)).reason("submitted")),
                status(change(id, JobStatus.PENDING, JobStatus.STARTING).attempt(1).placement(TRAIN_ON).at(at(1))
                        .reason("task 1 of 2: cheapest")),
                status(change(id, JobStatus.STARTING, JobStatus.RUNNING).attempt(1).placement(TRAIN_ON).at(at(20))
                        .reason("cluster up")),
                log(id, 1, 0, "epoch 1\n"), log(id, 1, 8, "epoch 2\n"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAdmin().get("/jobs/" + id + "/tasks").then()
                .body("status", contains("RUNNING", "PENDING"))
                .body("[0].placement.zone", equalTo("us-east-1b"))
                .body("[0].startedAt", equalTo(at(20).toString()))
                .body("[0].endedAt", nullValue()));

        produce(
                status(change(id, JobStatus.RUNNING, JobStatus.STARTING).taskIndex(1).attempt(2).placement(EVAL_ON)
                        .at(at(80)).reason("task 1 of 2 succeeded; task 2 of 2: cheapest")),
                status(change(id, JobStatus.STARTING, JobStatus.RUNNING).taskIndex(1).attempt(2).placement(EVAL_ON)
                        .at(at(95)).reason("cluster up")),
                log(id, 2, 0, "accuracy 0.91\n"),
                status(change(id, JobStatus.RUNNING, JobStatus.SUCCEEDED).taskIndex(1).attempt(2).exitCode(0)
                        .at(at(125)).reason("task 2 of 2: run exited with code 0")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id).then().body("status", equalTo("SUCCEEDED")));

        asAdmin().get("/jobs/" + id + "/tasks").then().statusCode(200)
                .body("$", hasSize(2))
                .body("index", contains(0, 1))
                .body("status", contains("SUCCEEDED", "SUCCEEDED"))
                .body("exitCode", contains(0, 0))
                .body("attempts", contains(contains(1), contains(2)))
                .body("[0].placement.cloud", equalTo("aws"))
                .body("[0].placement.instanceType", equalTo("m6i.large"))
                .body("[0].placement.spot", equalTo(true))
                .body("[0].placement.pricePerHour", equalTo(0.0384f))
                .body("[0].startedAt", equalTo(at(20).toString()))
                .body("[0].endedAt", equalTo(at(80).toString()))
                .body("[0].durationSeconds", equalTo(60))
                .body("[1].placement.cloud", equalTo("gcp"))
                .body("[1].placement.zone", equalTo("us-central1-a"))
                .body("[1].placement.spot", equalTo(false))
                .body("[1].startedAt", equalTo(at(95).toString()))
                .body("[1].endedAt", equalTo(at(125).toString()))
                .body("[1].durationSeconds", equalTo(30))
                .body("[1].reason", equalTo("task 2 of 2: run exited with code 0"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id + "/logs?task=0").then().statusCode(200).body(equalTo("epoch 1\nepoch 2\n")));
        asAdmin().get("/jobs/" + id + "/logs?task=1").then().statusCode(200).body(equalTo("accuracy 0.91\n"));
        asAdmin().get("/jobs/" + id + "/logs").then().statusCode(200)
                .body(equalTo("epoch 1\nepoch 2\n--- attempt 2 ---\naccuracy 0.91\n"));
        // a finished task's followed output ends by itself
        asAdmin().get("/jobs/" + id + "/logs?task=0&follow=true").then().statusCode(200)
                .body(equalTo("epoch 1\nepoch 2\n"));
    }

    @Test
    void aTaskOrNodeTheJobDoesNotHaveIsRefusedByName() {
        String id = submitPipeline("tasks-range");
        asAdmin().get("/jobs/" + id + "/logs?task=2").then().statusCode(400)
                .body("errors[0].field", equalTo("task"));
        asAdmin().get("/jobs/" + id + "/logs?task=-1").then().statusCode(400)
                .body("errors[0].field", equalTo("task"));
        asAdmin().get("/jobs/" + id + "/logs?task=1&node=1").then().statusCode(400)
                .body("errors[0].field", equalTo("node"));
        asAdmin().get("/jobs/" + id + "/logs?task=1").then().statusCode(200).body(equalTo(""));
    }

    private static String submitPipeline(String name) {
        return asAdmin().contentType("application/yaml").body(("""
                name: %s
                ---
                name: train
                resources: {cloud: aws}
                run: python train.py
                ---
                name: eval
                run: python eval.py
                """.formatted(name)).getBytes())
                .post("/jobs").then().statusCode(201).extract().path("id");
    }

    @SafeVarargs
    private void produce(ProducerRecord<String, String>... records) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(30));
        }
    }

    /** A change of the two-task pipeline {@code id}; the caller names the rest. */
    private static JobStatusChanged.Builder change(String id, JobStatus from, JobStatus to) {
        return JobStatusChanged.of(id).name("pipeline").owner("admin").from(from).to(to).taskCount(2);
    }

    private static ProducerRecord<String, String> status(JobStatusChanged.Builder change) {
        return TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change.build());
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    private static ProducerRecord<String, String> log(String id, int attempt, long offset, String text) {
        return TestEvents.record(Topics.JOB_LOGS, PROVISIONER, new LogChunk(id, attempt, 0, offset, text));
    }
}

package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/** job-status records from the controller → the read model, the history, and the list queries. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class JobStatusConsumerTest {
    private static final String CONTROLLER = "/crossjobs/controller";
    private static final Instant T1 = Instant.parse("2026-11-28T10:00:01Z");
    private static final Instant T2 = Instant.parse("2026-11-28T10:00:02Z");
    private static final Instant T3 = Instant.parse("2026-11-28T10:00:03Z");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void statusChangesShowInTheJobAndItsHistoryOnceEach() {
        String id = TestEvents.submit("status-demo");
        Placement placement = Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceType("m6i.large").spot(true).pricePerHour(0.0384).build();
        var starting = TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(id, JobStatus.PENDING,
                JobStatus.STARTING, "launching", null, null, placement, T1));
        var running = TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(id, JobStatus.STARTING,
                JobStatus.RUNNING, "cluster up", null, null, placement, T2));
        var succeeded = TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(id, JobStatus.RUNNING,
                JobStatus.SUCCEEDED, "run exited 0", null, 0, null, T3));
        var forUnknownJob = TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change("987654321", JobStatus.PENDING,
                JobStatus.STARTING, "launching", null, null, placement, T1));

        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            // the second `running` is the same CloudEvent delivered twice: it must change nothing
            kafka.produceStrings().fromRecords(forUnknownJob, starting, running, running, succeeded)
                    .awaitCompletion(Duration.ofSeconds(30));
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id).then().body("status", equalTo("SUCCEEDED")));
        asAdmin().get("/jobs/" + id).then().statusCode(200)
                .body("cloud", equalTo("aws"))
                .body("region", equalTo("us-east-1"))
                .body("zone", equalTo("us-east-1a"))
                .body("instanceType", equalTo("m6i.large"))
                .body("spot", equalTo(true))
                .body("pricePerHour", equalTo(0.0384f))
                .body("attempt", equalTo(1))
                .body("recoveryCount", equalTo(0))
                .body("exitCode", equalTo(0))
                .body("startedAt", equalTo(T2.toString()))
                .body("endedAt", equalTo(T3.toString()));
        asAdmin().get("/jobs/" + id + "/events").then().statusCode(200)
                .body("$", hasSize(3))
                .body("to", contains("STARTING", "RUNNING", "SUCCEEDED"))
                .body("from", contains("PENDING", "STARTING", "RUNNING"))
                .body("[0].reason", equalTo("launching"))
                .body("[2].exitCode", equalTo(0))
                .body("[2].at", equalTo(T3.toString()));

        // the list filters by status and pages newest first
        asAdmin().get("/jobs?status=SUCCEEDED,FAILED&limit=500").then().statusCode(200)
                .body("items.id", hasItem(id))
                .body("items.status", everyItem(equalTo("SUCCEEDED")));
        asAdmin().get("/jobs?status=PENDING&status=RUNNING&limit=500").then().statusCode(200)
                .body("items.id", not(hasItem(id)));
    }

    @Test
    void aFailureKeepsWhereItRanAndWhy() {
        String id = TestEvents.submit("failing");
        Placement placement = Placement.builder().cloud("gcp").region("us-central1").zone("us-central1-a")
                .instanceType("n2-standard-2").pricePerHour(0.097).build();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(
                    TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(id, JobStatus.PENDING, JobStatus.RUNNING,
                            "cluster up", null, null, placement, T1)),
                    TestEvents.record(Topics.JOB_STATUS, CONTROLLER, change(id, JobStatus.RUNNING, JobStatus.FAILED,
                            "run exited 3", FailureReason.USER_CODE_FAILED, 3, null, T2))
            ).awaitCompletion(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> asAdmin().get("/jobs/" + id).then()
                .body("status", equalTo("FAILED"))
                .body("failureReason", equalTo("USER_CODE_FAILED"))
                .body("exitCode", equalTo(3))
                .body("cloud", equalTo("gcp"))
                .body("zone", equalTo("us-central1-a")));
    }

    /** Every field of a change set, each to a value no other field has: a parameter bound in another's place shows. */
    @Test
    void everyFieldOfAChangeLandsInItsOwnColumn() {
        String id = TestEvents.submit("every-field");
        Placement placement = Placement.builder().cloud("azure").region("eastus").zone("eastus-2")
                .instanceType("Standard_D2s_v5").spot(true).pricePerHour(0.123).build();
        JobStatusChanged running = JobStatusChanged.of(id).name("every-field").owner("admin")
                .from(JobStatus.STARTING).to(JobStatus.RUNNING).reason("cluster up").attempt(3).recoveryCount(2)
                .restartCount(4).taskIndex(1).taskCount(2).costSoFar(1.5).placement(placement).at(T1).build();
        JobStatusChanged failed = JobStatusChanged.of(id).name("every-field").owner("admin")
                .from(JobStatus.RUNNING).to(JobStatus.FAILED).reason("run exited 7")
                .failureReason(FailureReason.USER_CODE_FAILED).exitCode(7).attempt(5).recoveryCount(6)
                .restartCount(8).taskIndex(9).taskCount(10).costSoFar(2.25).at(T2).build();
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(TestEvents.record(Topics.JOB_STATUS, CONTROLLER, running),
                    TestEvents.record(Topics.JOB_STATUS, CONTROLLER, failed)).awaitCompletion(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                asAdmin().get("/jobs/" + id).then().body("status", equalTo("FAILED")));
        asAdmin().get("/jobs/" + id).then().statusCode(200)
                .body("statusChangedAt", equalTo(T2.toString()))
                .body("attempt", equalTo(5))
                .body("recoveryCount", equalTo(6))
                .body("restartCount", equalTo(8))
                .body("taskIndex", equalTo(9))
                .body("costSoFar", equalTo(2.25f))
                .body("failureReason", equalTo("USER_CODE_FAILED"))
                .body("exitCode", equalTo(7))
                .body("startedAt", equalTo(T1.toString()))
                .body("endedAt", equalTo(T2.toString()))
                // the failure carries no placement: the running attempt's stays
                .body("cloud", equalTo("azure"))
                .body("region", equalTo("eastus"))
                .body("zone", equalTo("eastus-2"))
                .body("instanceType", equalTo("Standard_D2s_v5"))
                .body("spot", equalTo(true))
                .body("pricePerHour", equalTo(0.123f));
        asAdmin().get("/jobs/" + id + "/events").then().statusCode(200)
                .body("from", contains("STARTING", "RUNNING"))
                .body("to", contains("RUNNING", "FAILED"))
                .body("reason", contains("cluster up", "run exited 7"))
                .body("[1].failureReason", equalTo("USER_CODE_FAILED"))
                .body("exitCode", contains(null, 7))
                .body("attempt", contains(3, 5))
                .body("at", contains(T1.toString(), T2.toString()))
                .body("taskIndex", contains(1, 9));
    }

    @Test
    void theListIsNewestFirstAndPagesWithACursor() {
        List<String> ids = List.of(TestEvents.submit("page-a"), TestEvents.submit("page-b"), TestEvents.submit("page-c"));
        String newest = ids.get(2);
        var first = asAdmin().get("/jobs?limit=2").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].id", equalTo(newest))
                .body("items[1].id", equalTo(ids.get(1)))
                .body("nextCursor", equalTo(ids.get(1)))
                .extract();
        asAdmin().get("/jobs?limit=1&cursor=" + first.path("nextCursor")).then().statusCode(200)
                .body("items[0].id", equalTo(ids.get(0)))
                .body("items.id.collect { it as long }", everyItem(lessThan(Long.parseLong(ids.get(1)))));

        asAdmin().get("/jobs?status=DONE").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("status"));
        asAdmin().get("/jobs?limit=0").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("limit"));
        asAdmin().get("/jobs?cursor=abc").then().statusCode(400).body("errors.field", contains("cursor"));
    }

    @Test
    void fieldsAnswerEachListedJobWithThoseFieldsOnly() {
        String id = TestEvents.submit("few-fields");
        asAdmin().get("/jobs?name=few-fields&fields=id,status,name").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].keySet()", containsInAnyOrder("id", "status", "name"))
                .body("items[0].id", equalTo(id)).body("items[0].status", equalTo("PENDING"))
                .body("nextCursor", equalTo(null));
        asAdmin().get("/jobs?fields=id,bogus").then().statusCode(400)
                .body("errors.field", contains("fields"))
                .body("errors[0].message", containsString("unknown field 'bogus'"));
        asAdmin().get("/jobs?fields=,").then().statusCode(400).body("errors.field", contains("fields"));
    }

    private static JobStatusChanged change(String id, JobStatus from, JobStatus to, String reason,
                                           FailureReason failure, Integer exitCode, Placement placement, Instant at) {
        return JobStatusChanged.of(id).name("status-demo").owner("anonymous").from(from).to(to).reason(reason)
                .failureReason(failure).exitCode(exitCode).attempt(1).placement(placement).at(at).build();
    }
}

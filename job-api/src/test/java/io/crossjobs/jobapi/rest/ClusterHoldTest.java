package io.crossjobs.jobapi.rest;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.ClusterHold;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.Placement;
import io.crossjobs.events.ReleaseHoldRequested;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static io.crossjobs.jobapi.TestEvents.header;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code keep_on_failure}: asked for at submission, shown while the controller keeps the cluster, released early. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class ClusterHoldTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void theQueryParameterKeepsEveryTaskOfThePipelineAndOverridesTheField() throws Exception {
        String id = asAdmin().contentType(ContentType.JSON).queryParam("keep_on_failure", "45m").body("""
                        [{"name":"a","run":"true","resources":{"keep_on_failure":"5m"}},{"name":"b","run":"false"}]""")
                .when().post("/jobs").then().statusCode(201)
                .body("resources.keepOnFailure", equalTo("45m")).extract().path("id");

        ConsumerRecord<String, String> submitted =
                TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 1).get(0);
        JobSubmitted event = (JobSubmitted) EventCodec.decode(header(submitted, "ce_type"), submitted.value());
        assertEquals(List.of(2700L, 2700L), event.tasks().stream().map(t -> t.resources().keepOnFailureSeconds()).toList());
    }

    @Test
    void aBadKeepIsA400NamingItAndStoresNothing() throws Exception {
        long jobs = TestEvents.count(db, "select count(*) from jobs");
        asAdmin().contentType(ContentType.JSON).queryParam("keep_on_failure", "8d").body("{\"run\":\"x\"}")
                .when().post("/jobs").then().statusCode(400).body("errors.field", hasItem("keep_on_failure"))
                .body("detail", containsString("must be 1s to 7d"));
        asAdmin().contentType(ContentType.JSON).body("{\"run\":\"x\",\"resources\":{\"keep_on_failure\":\"soon\"}}")
                .when().post("/jobs").then().statusCode(400).body("errors.field", hasItem("resources.keep_on_failure"));
        assertEquals(jobs, TestEvents.count(db, "select count(*) from jobs"));
    }

    @Test
    void aHeldClusterIsShownWithItsInstancesTimeLeftAndCostThenItsOwnerReleasesItOnce() throws Exception {
        String alice = TestEvents.userToken("hold-alice");
        String bob = TestEvents.userToken("hold-bob");
        String id = TestEvents.submitAs(alice, "debug-me");
        Instant ended = Instant.now().minus(Duration.ofMinutes(6)).truncatedTo(ChronoUnit.MILLIS);
        Instant until = ended.plus(Duration.ofMinutes(30));
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(TestEvents.record(Topics.JOB_STATUS, "/crossjobs/controller",
                    JobStatusChanged.of(id).name("debug-me").owner("hold-alice").from(JobStatus.RUNNING)
                            .to(JobStatus.FAILED).reason("run exited with code 3; cluster cj-" + id + "-1 kept")
                            .failureReason(FailureReason.USER_CODE_FAILED).exitCode(3).attempt(1).at(ended)
                            .placement(Placement.builder().cloud("aws").region("us-east-1").instanceType("m6i.large")
                                    .pricePerHour(0.6).build())
                            .hold(new ClusterHold(until, "cj-" + id + "-1", List.of("i-0a1", "i-0a2"))).build()))
                    .awaitCompletion(Duration.ofSeconds(30));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                TestEvents.as(alice).get("/jobs/" + id).then().body("status", equalTo("FAILED")));

        TestEvents.as(alice).get("/jobs/" + id).then().statusCode(200)
                .body("hold.cluster", equalTo("cj-" + id + "-1"))
                .body("hold.instanceIds", equalTo(List.of("i-0a1", "i-0a2")))
                .body("hold.active", equalTo(true))
                .body("hold.secondsLeft", greaterThan(23 * 60)).body("hold.secondsLeft", lessThanOrEqualTo(24 * 60))
                .body("hold.costSoFar", greaterThan(0.059f)).body("hold.costSoFar", lessThanOrEqualTo(0.07f));
        TestEvents.as(alice).queryParam("fields", "id,status,hold").get("/jobs").then()
                .body("items.find { it.id == '" + id + "' }.hold.active", equalTo(true));

        TestEvents.as(bob).delete("/jobs/" + id + "/hold").then().statusCode(404);
        TestEvents.as(alice).delete("/jobs/" + id + "/hold").then().statusCode(202)
                .body("hold.active", equalTo(false)).body("hold.secondsLeft", equalTo(0))
                .body("hold.releasedAt", notNullValue());
        TestEvents.as(alice).delete("/jobs/" + id + "/hold").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("its hold was released at"));

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 2);
        ReleaseHoldRequested release = (ReleaseHoldRequested) EventCodec.decode(header(records.get(1), "ce_type"),
                records.get(1).value());
        assertEquals("hold-alice", release.requestedBy());
        assertEquals(1, TestEvents.count(db, "select count(*) from outbox where job_id = '" + id
                + "' and event_type = 'crossjobs.job.release-hold-requested.v1'"));
    }

    @Test
    void aJobThatKeptNothingHasNoHoldToRelease() {
        String id = TestEvents.submit("nothing-held");
        asAdmin().get("/jobs/" + id).then().body("hold", nullValue());
        asAdmin().delete("/jobs/" + id + "/hold").then().statusCode(409)
                .body("detail", containsString("it did not fail with resources.keep_on_failure set"));
    }
}

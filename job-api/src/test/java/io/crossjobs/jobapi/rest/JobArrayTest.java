package io.crossjobs.jobapi.rest;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.jobapi.service.UserDataBudget;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /jobs?num_jobs=N}: N jobs of one task in one request, listed, replayed and cancelled as one. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class JobArrayTest {
    private static final String TASK = """
            {"name":"sweep","resources":{"cloud":"aws"},"envs":{"SKYPILOT_JOB_RANK":"mine","LR":"0.1"},
             "run":"echo rank $SKYPILOT_JOB_RANK of $SKYPILOT_NUM_JOBS"}""";

    @Inject
    AgroalDataSource db;

    @Test
    void anArrayIsNJobsEachToldItsRankAndTheirSize() throws Exception {
        JsonPath answer = asAdmin().contentType("application/json").body(TASK).queryParam("num_jobs", 3)
                .post("/jobs").then().statusCode(201)
                .header("Location", containsString("/jobs?array="))
                .extract().jsonPath();
        String arrayId = answer.getString("arrayId");
        List<String> ids = answer.getList("jobs.id");
        assertEquals(3, ids.size());
        assertEquals(arrayId, ids.get(0), "an array is named by its rank-0 job");
        for (int rank = 0; rank < 3; rank++) {
            assertEquals(rank, answer.getInt("jobs[" + rank + "].array.rank"));
            assertEquals(3, answer.getInt("jobs[" + rank + "].array.size"));
            assertEquals(arrayId, answer.getString("jobs[" + rank + "].array.id"));
            assertEquals("sweep", answer.getString("jobs[" + rank + "].name"));
            // the array's envs replace the task's own of that name; its other envs stay
            String submitted = payloadOf(ids.get(rank));
            assertTrue(submitted.contains("\"SKYPILOT_JOB_RANK\":\"" + rank + "\""), submitted);
            assertTrue(submitted.contains("\"SKYPILOT_NUM_JOBS\":\"3\""), submitted);
            assertTrue(submitted.contains("\"LR\":\"0.1\""), submitted);
        }
        asAdmin().get("/jobs?array=" + arrayId).then().statusCode(200)
                .body("items.size()", equalTo(3)).body("items.id", equalTo(List.of(ids.get(2), ids.get(1), ids.get(0))));
        asAdmin().get("/jobs/" + ids.get(1)).then().body("array.rank", equalTo(1)).body("array.id", equalTo(arrayId));

        String alone = TestEvents.submit("alone");
        asAdmin().get("/jobs/" + alone).then().body("array", nullValue());
    }

    /** A batch is bounded by jobs (jobapi.submit-batch-size, 500); an array larger than that is stored alone. */
    @Test
    void anArrayLargerThanABatchIsStoredWhole() throws Exception {
        String small = "{\"resources\":{\"cloud\":\"aws\"},\"run\":\"true\"}";
        var bigger = java.util.concurrent.CompletableFuture.supplyAsync(() -> asAdmin().contentType("application/json")
                .body(small).queryParam("num_jobs", 600).post("/jobs").then().statusCode(201).extract().jsonPath());
        var beside = java.util.concurrent.CompletableFuture.supplyAsync(() -> asAdmin().contentType("application/json")
                .body(small).queryParam("num_jobs", 3).post("/jobs").then().statusCode(201).extract().jsonPath());

        String arrayId = bigger.get().getString("arrayId");
        assertEquals(600, bigger.get().getList("jobs").size());
        assertEquals(3, beside.get().getList("jobs").size());
        assertEquals(600, TestEvents.count(db, "select count(*) from jobs where array_id = " + arrayId));
        assertEquals(600, TestEvents.count(db, "select count(*) from jobs j join outbox o on o.job_id = j.id::varchar"
                + " where j.array_id = " + arrayId + " and o.event_type = 'crossjobs.job.submitted.v1'"));
    }

    @Test
    void aReplayedArrayCreatesNothingAndIsAnsweredWithTheFirstOnesJobs() throws Exception {
        String key = "array-" + System.nanoTime();
        List<String> first = asAdmin().contentType("application/json").header("Idempotency-Key", key).body(TASK)
                .queryParam("num_jobs", 4).post("/jobs").then().statusCode(201).extract().jsonPath().getList("jobs.id");
        List<String> again = asAdmin().contentType("application/json").header("Idempotency-Key", key).body(TASK)
                .queryParam("num_jobs", 4).post("/jobs").then().statusCode(200).extract().jsonPath().getList("jobs.id");
        assertEquals(first, again);
        assertEquals(4, TestEvents.count(db, "select count(*) from jobs where array_id = " + first.get(0)));
        assertEquals(4, TestEvents.count(db, "select count(*) from outbox where event_type = "
                + "'crossjobs.job.submitted.v1' and job_id in (" + String.join(",", quoted(first)) + ")"));
    }

    @Test
    void cancellingAnArrayAsksForEachOfItsUnfinishedJobsOnce() throws Exception {
        List<String> ids = asAdmin().contentType("application/json").body(TASK).queryParam("num_jobs", 2)
                .post("/jobs").then().statusCode(201).extract().jsonPath().getList("jobs.id");
        String other = TestEvents.submit("sweep");

        asAdmin().post("/jobs/cancel?array=" + ids.get(0)).then().statusCode(200)
                .body("requested", equalTo(ids)).body("alreadyRequested", equalTo(List.of()));
        asAdmin().post("/jobs/cancel?array=" + ids.get(0)).then().statusCode(200)
                .body("requested", equalTo(List.of())).body("alreadyRequested", equalTo(ids));
        asAdmin().get("/jobs/" + other).then().body("cancelRequestedAt", nullValue());
    }

    @Test
    void badArraysAreRefusedNamingTheFieldAndStoreNothing() throws Exception {
        long before = TestEvents.count(db, "select count(*) from jobs");
        for (int n : new int[] {0, -1, 1001}) {
            asAdmin().contentType("application/json").body(TASK).queryParam("num_jobs", n).post("/jobs").then()
                    .statusCode(400).body("errors.field", hasItem("num_jobs"))
                    .body("errors.message", hasItem(containsString("between 1 and 1000")));
        }
        asAdmin().contentType("application/json").body("""
                {"resources":{"cloud":"aws"},"secrets":{"SKYPILOT_NUM_JOBS":"x"},"run":"true"}""")
                .queryParam("num_jobs", 2).post("/jobs").then()
                .statusCode(400).body("errors.field", hasItem("num_jobs"))
                .body("errors.message", hasItem(containsString("SKYPILOT_NUM_JOBS")));
        asAdmin().contentType("application/json").body(TASK).queryParam("num_jobs", "many").post("/jobs").then()
                .statusCode(400).body("errors.field", hasItem("num_jobs"));
        assertEquals(before, TestEvents.count(db, "select count(*) from jobs"));

        asAdmin().post("/jobs/cancel?array=7&name=x").then().statusCode(400);
        asAdmin().post("/jobs/cancel?array=seven").then().statusCode(400).body("errors.field", hasItem("array"));
        asAdmin().get("/jobs?array=seven").then().statusCode(400).body("errors.field", hasItem("array"));
    }

    /** A task whose script just fits its cloud's user data alone does not once an array's envs are added to it. */
    @Test
    void anArrayWhoseEnvsWouldOverflowTheUserDataIsRefused() throws Exception {
        int low = 0;
        int high = 64 * 1024;
        while (low < high) {            // the longest run that still fits aws's user data
            int mid = (low + high + 1) / 2;
            if (UserDataBudget.problem(awsTask("x".repeat(mid))).isEmpty()) low = mid;
            else high = mid - 1;
        }
        String body = "{\"resources\":{\"cloud\":\"aws\"},\"run\":\"" + "x".repeat(low) + "\"}";
        long before = TestEvents.count(db, "select count(*) from jobs");

        asAdmin().contentType("application/json").body(body).queryParam("num_jobs", 10).post("/jobs").then()
                .statusCode(400).body("errors.field", hasItem("num_jobs"))
                .body("errors.message", hasItem(containsString("with the array's envs")));
        assertEquals(before, TestEvents.count(db, "select count(*) from jobs"));
        asAdmin().contentType("application/json").body(body).post("/jobs").then().statusCode(201);
    }

    private static io.crossjobs.events.TaskSpec awsTask(String run) {
        return new io.crossjobs.events.TaskSpec("t", io.crossjobs.events.Resources.builder().cloud("aws").build(), 1,
                java.util.Map.of(), null, run);
    }

    private String payloadOf(String jobId) throws Exception {
        try (var c = db.getConnection(); var s = c.createStatement();
             ResultSet r = s.executeQuery("select payload from outbox where job_id = '" + jobId
                     + "' and event_type = 'crossjobs.job.submitted.v1'")) {
            assertTrue(r.next(), "no JobSubmitted for job " + jobId);
            return r.getString(1);
        }
    }

    private static List<String> quoted(List<String> ids) {
        List<String> out = new ArrayList<>();
        ids.forEach(id -> out.add("'" + id + "'"));
        return out;
    }
}

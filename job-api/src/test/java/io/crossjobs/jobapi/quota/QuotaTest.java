package io.crossjobs.jobapi.quota;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.crossjobs.jobapi.TestEvents.as;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Per-user quotas: each one refuses a submission over it (429, or 403 for the nodes of one job) naming the quota, its
 * limit and the usage, storing nothing; arrays count every job; two submissions racing for the last slot cannot both
 * take it, within one job-api (its batches) or across two (the owner's lock in the database).
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class QuotaTest {
    private static final String CPU_TASK = "{\"resources\":{\"cloud\":\"aws\",\"cpus\":\"2+\"},\"run\":\"echo hi\"}";

    @Inject
    AgroalDataSource db;

    @Test
    void theLiveJobsQuotaRefusesTheSubmissionOverItAndStoresNothing() throws Exception {
        String user = unique("jobs");
        String token = TestEvents.userToken(user);
        setQuota(user, "{\"live_jobs\": 2}");
        submit(token, CPU_TASK).then().statusCode(201);
        submit(token, CPU_TASK).then().statusCode(201);

        Response refused = submit(token, CPU_TASK);

        refused.then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:crossjobs:problem:quota-exceeded"))
                .body("quota", equalTo("live-jobs")).body("limit", equalTo(2)).body("usage", equalTo(2))
                .body("requested", equalTo(1))
                .body("detail", equalTo("quota live-jobs of " + user + " exceeded: limit 2, in use 2, this submission"
                        + " needs 1 more"));
        assertEquals(2, jobsOf(user));
        assertEquals(2, TestEvents.count(db, "select count(*) from outbox where payload like '%\"owner\":\"" + user
                + "\"%'"));

        // a job that ended frees its slot
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "update jobs set status = 'SUCCEEDED' where id = (select min(id) from jobs where owner = ?)")) {
            s.setString(1, user);
            s.executeUpdate();
        }
        submit(token, CPU_TASK).then().statusCode(201);
    }

    @Test
    void everyJobOfAnArrayCounts() throws Exception {
        String user = unique("array");
        String token = TestEvents.userToken(user);
        setQuota(user, "{\"live_jobs\": 3}");
        submit(token, CPU_TASK).then().statusCode(201);

        as(token).contentType(ContentType.JSON).body(CPU_TASK).post("/jobs?num_jobs=3").then().statusCode(429)
                .body("quota", equalTo("live-jobs")).body("usage", equalTo(1)).body("requested", equalTo(3));

        assertEquals(1, jobsOf(user));
        as(token).contentType(ContentType.JSON).body(CPU_TASK).post("/jobs?num_jobs=2").then().statusCode(201);
        assertEquals(3, jobsOf(user));
    }

    @Test
    void aJobWithMoreNodesThanItsQuotaIsForbidden() throws Exception {
        String user = unique("nodes");
        String token = TestEvents.userToken(user);
        setQuota(user, "{\"nodes_per_job\": 4}");

        submit(token, "{\"num_nodes\": 5, \"resources\":{\"cloud\":\"aws\"},\"run\":\"echo hi\"}").then()
                .statusCode(403).body("quota", equalTo("nodes-per-job")).body("limit", equalTo(4))
                .body("requested", equalTo(5))
                .body("detail", containsString("a job may have at most 4 nodes; this one has 5"));

        assertEquals(0, jobsOf(user));
        submit(token, "{\"num_nodes\": 4, \"resources\":{\"cloud\":\"aws\"},\"run\":\"echo hi\"}").then()
                .statusCode(201);
    }

    @Test
    void vcpusAcceleratorsAndDollarsPerHourAreCountedAtTheCheapestFeasiblePlacement() throws Exception {
        String user = unique("sizes");
        String token = TestEvents.userToken(user);
        setQuota(user, "{\"live_vcpus\": 20}");
        submit(token, "{\"num_nodes\": 2, \"resources\":{\"cloud\":\"aws\",\"cpus\":\"8+\"},\"run\":\"x\"}").then()
                .statusCode(201);
        as(token).get("/usage").then().statusCode(200).body("owner", equalTo(user))
                .body("usage.liveJobs", equalTo(1)).body("usage.liveVcpus", equalTo(16.0f))
                .body("quota.liveVcpus", equalTo(20.0f)).body("custom", equalTo(true));

        submit(token, "{\"resources\":{\"cloud\":\"aws\",\"cpus\":\"8+\"},\"run\":\"x\"}").then().statusCode(429)
                .body("quota", equalTo("live-vcpus")).body("limit", equalTo(20.0f)).body("usage", equalTo(16.0f))
                .body("requested", equalTo(8.0f));
        setQuota(user, "{\"live_accelerators\": 0}");
        submit(token, "{\"resources\":{\"cloud\":\"aws\",\"accelerators\":\"A10G:1\"},\"run\":\"x\"}").then()
                .statusCode(429).body("quota", equalTo("live-accelerators")).body("limit", equalTo(0))
                .body("usage", equalTo(0)).body("requested", equalTo(1));

        setQuota(user, "{\"live_usd_per_hour\": 0.01}");
        submit(token, CPU_TASK).then().statusCode(429).body("quota", equalTo("live-usd-per-hour"))
                .body("limit", equalTo(0.01f));
        assertEquals(1, jobsOf(user));
    }

    /** The dollars per hour of a placed job are its placement's price for each of its nodes. */
    @Test
    void aPlacedJobCountsAtItsPlacementsPrice() throws Exception {
        String user = unique("placed");
        String token = TestEvents.userToken(user);
        String id = submit(token, "{\"num_nodes\": 3, \"resources\":{\"cloud\":\"aws\"},\"run\":\"x\"}").then()
                .statusCode(201).extract().path("id");
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "update jobs set status = 'RUNNING', price_per_hour = 1.5 where id = ?")) {
            s.setLong(1, Long.parseLong(id));
            s.executeUpdate();
        }
        as(token).get("/usage").then().statusCode(200).body("usage.liveUsdPerHour", equalTo(4.5f));
    }

    /** Within one job-api: concurrent submissions for the last slot are checked one after the other. */
    @Test
    void concurrentSubmissionsCannotBothTakeTheLastSlot() throws Exception {
        String user = unique("race");
        String token = TestEvents.userToken(user);
        setQuota(user, "{\"live_jobs\": 3}");
        submit(token, CPU_TASK).then().statusCode(201);
        int racers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            CompletableFuture<Void> start = new CompletableFuture<>();
            for (int i = 0; i < racers; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    start.join();
                    return submit(token, CPU_TASK).statusCode();
                }, pool));
            }
            start.complete(null);
            List<Integer> codes = answers.stream().map(CompletableFuture::join).toList();
            assertEquals(2, codes.stream().filter(c -> c == 201).count(), codes.toString());
            assertEquals(racers - 2, codes.stream().filter(c -> c == 429).count(), codes.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(3, jobsOf(user));
    }

    /**
     * Across job-apis: another instance's submission holds the owner's lock until it commits its job; this one waits
     * for it, then counts that job and refuses.
     */
    @Test
    void aSubmissionWaitsForTheOwnersLockAndCountsWhatItsHolderStored() throws Exception {
        String user = unique("lock");
        String token = TestEvents.userToken(user);
        setQuota(user, "{\"live_jobs\": 1}");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = db.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement(
                    "select pg_advisory_xact_lock(1364545364, hashtext(?))")) {
                lock.setString(1, user);
                lock.execute();
            }
            try (PreparedStatement insert = other.prepareStatement("""
                    insert into jobs (id, name, owner, status, task_json, submitted_at, status_changed_at)
                    values (nextval('job_id_seq'), 'other-instance', ?, 'PENDING', '{}', now(), now())""")) {
                insert.setString(1, user);
                insert.executeUpdate();
            }
            Future<Response> waiting = pool.submit(() -> submit(token, CPU_TASK));
            // the submission cannot finish while the lock is held: it is waiting, not answered
            await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(() ->
                    TestEvents.count(db, "select count(*) from pg_locks where locktype = 'advisory' and not granted")
                            >= 1);
            assertFalse(waiting.isDone());
            other.commit();

            waiting.get(30, TimeUnit.SECONDS).then().statusCode(429).body("quota", equalTo("live-jobs"))
                    .body("usage", equalTo(1));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, jobsOf(user));
    }

    @Test
    void aReplayedSubmissionAtItsQuotaIsAnsweredWithItsJob() {
        String user = unique("replay");
        String token = TestEvents.userToken(user);
        setQuota(user, "{\"live_jobs\": 1}");
        String id = as(token).header("Idempotency-Key", "k1").contentType(ContentType.JSON).body(CPU_TASK)
                .post("/jobs").then().statusCode(201).extract().path("id");

        as(token).header("Idempotency-Key", "k1").contentType(ContentType.JSON).body(CPU_TASK).post("/jobs").then()
                .statusCode(200).body("id", equalTo(id));
    }

    @Test
    void adminsSeeEveryonesUsageAndSetAndResetQuotas() {
        String user = unique("seen");
        String token = TestEvents.userToken(user);
        submit(token, CPU_TASK).then().statusCode(201);

        as(token).get("/admin/usage").then().statusCode(403);
        as(token).contentType(ContentType.JSON).body("{\"live_jobs\": 100000}").put("/admin/quotas/" + user).then()
                .statusCode(403);
        asAdmin().get("/admin/usage").then().statusCode(200).body("owner", hasItem(user));
        asAdmin().contentType(ContentType.JSON).body("{\"live_jobs\": -1}").put("/admin/quotas/" + user).then()
                .statusCode(400).body("errors[0].field", containsString("live_jobs"));
        asAdmin().contentType(ContentType.JSON).body("{\"live_jobs\": 5}").put("/admin/quotas/" + user).then()
                .statusCode(200).body("quota.liveJobs", equalTo(5)).body("usage.liveJobs", equalTo(1))
                .body("custom", equalTo(true));

        asAdmin().delete("/admin/quotas/" + user).then().statusCode(200).body("custom", equalTo(false))
                .body("quota.liveJobs", equalTo(100000));
        asAdmin().contentType(ContentType.JSON).body("{}").put("/admin/quotas/" + "bad%20name").then()
                .statusCode(400).body("errors[0].field", equalTo("owner"));
    }

    /** Admin tokens' submissions are not limited (they are the operators' and the benchmark's). */
    @Test
    void anAdminsSubmissionsAreNotLimited() {
        asAdmin().contentType(ContentType.JSON).body("{\"live_jobs\": 0}").put("/admin/quotas/admin").then()
                .statusCode(200);
        try {
            submit(TestEvents.ADMIN_TOKEN, CPU_TASK).then().statusCode(201);
        } finally {
            asAdmin().delete("/admin/quotas/admin").then().statusCode(200);
        }
    }

    private static Response submit(String token, String json) {
        return as(token).contentType(ContentType.JSON).body(json).post("/jobs");
    }

    private static void setQuota(String user, String json) {
        asAdmin().contentType(ContentType.JSON).body(json).put("/admin/quotas/" + user).then().statusCode(200);
    }

    private long jobsOf(String user) throws Exception {
        return TestEvents.count(db, "select count(*) from jobs where owner = '" + user + "'");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

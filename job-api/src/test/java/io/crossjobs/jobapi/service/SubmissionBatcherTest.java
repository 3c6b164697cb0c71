package io.crossjobs.jobapi.service;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.Resources;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group commit: many submissions at once share transactions without losing, mixing or repeating any. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class SubmissionBatcherTest {

    @Inject
    AgroalDataSource db;

    @Inject
    SubmissionBatcher batcher;

    @Test
    void aBurstOfConcurrentSubmissionsGetsOneJobAndOneEventEachAndSharedKeysOneJob() throws Exception {
        String run = UUID.randomUUID().toString();
        String sharedKey = "shared-" + run;
        int total = 200;
        ExecutorService clients = Executors.newFixedThreadPool(32);
        try {
            List<CompletableFuture<String[]>> answers = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int n = i;
                answers.add(CompletableFuture.supplyAsync(() -> {
                    var request = asAdmin().contentType(ContentType.JSON)
                            .body("{\"name\":\"burst-" + n + "\",\"run\":\"echo " + run + "\"}");
                    // every tenth uses the same key: all of them must get the one job the first made
                    if (n % 10 == 0) request = request.header("Idempotency-Key", sharedKey);
                    var response = request.when().post("/jobs").then().extract();
                    return new String[]{String.valueOf(response.statusCode()), response.path("id"),
                            response.path("name")};
                }, clients));
            }
            Set<String> keyed = new HashSet<>();
            Set<String> unkeyed = new HashSet<>();
            int created = 0;
            for (int i = 0; i < total; i++) {
                String[] a = answers.get(i).get(1, TimeUnit.MINUTES);
                if (i % 10 == 0) {
                    keyed.add(a[1]);
                } else {
                    assertEquals("201", a[0]);
                    assertEquals("burst-" + i, a[2], "each answer carries its own request's job");
                    unkeyed.add(a[1]);
                }
                if (a[0].equals("201")) created++;
            }
            long jobs = created;
            assertEquals(1, keyed.size(), "one job for the shared key: " + keyed);
            assertEquals(total - total / 10, unkeyed.size(), "distinct ids");
            assertEquals(total - total / 10 + 1, created, "one 201 per new job, 200 for the key's repeats");
            assertEquals(created, TestEvents.count(db, "select count(*) from jobs where task_json like '%" + run + "%'"));
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> TestEvents.count(db,
                    "select count(*) from outbox where payload like '%" + run + "%' and published_at is not null")
                    == jobs);
            assertEquals(created, TestEvents.count(db, "select count(distinct job_id) from outbox where payload like '%"
                    + run + "%'"), "exactly one JobSubmitted per job");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aSubmissionTheDatabaseRefusesFailsAloneAndItsBatchMatesAreStored() throws Exception {
        String run = UUID.randomUUID().toString();
        TaskSpec task = new TaskSpec(null, Resources.builder().build(), 1, Map.of(), Map.of(), null, "echo " + run);
        // 64 characters: over the column's 63; the REST layer refuses it first, so only the database can here
        ParsedJob tooLong = new ParsedJob("x".repeat(64), List.of(task));
        List<CompletableFuture<SubmissionBatcher.Submission>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ParsedJob job = i == 7 ? tooLong : new ParsedJob("mate-" + i, List.of(task));
            answers.add(batcher.submit(job, new Caller("batch-owner", false), null).subscribeAsCompletionStage());
        }
        for (int i = 0; i < 20; i++) {
            var answer = answers.get(i);
            if (i == 7) {
                assertThrows(Exception.class, () -> answer.get(1, TimeUnit.MINUTES));
            } else {
                assertTrue(answer.get(1, TimeUnit.MINUTES).created());
            }
        }
        assertEquals(19, TestEvents.count(db, "select count(*) from jobs where task_json like '%" + run + "%'"));
        assertEquals(19, TestEvents.count(db, "select count(*) from outbox where payload like '%" + run + "%'"));
    }
}

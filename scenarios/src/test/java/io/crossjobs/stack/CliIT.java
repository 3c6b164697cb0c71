package io.crossjobs.stack;

import io.crossjobs.testsupport.ProjectRoot;
import io.crossjobs.stack.CrossjobsCommand.Run;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real {@code ./crossjobs} script, run as a user would, against the launched stack. */
@ExtendWith(LocalStack.class)
class CliIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private final JobApiClient api = JobApiClient.asAdmin();

    @Test
    void launchShowsProgressThenTheOutputAndExits0() throws Exception {
        Run run = crossjobs("launch", "examples/hello.yaml");

        assertEquals(0, run.exit(), run::describe);
        String id = run.jobId();
        for (String status : List.of("PENDING", "STARTING", "RUNNING", "SUCCEEDED")) {
            assertTrue(run.out().contains("[job " + id + "] " + status), () -> status + " missing: " + run.describe());
        }
        assertTrue(run.out().contains("[job " + id + "] on aws/"), () -> "placement missing: " + run.describe());
        assertTrue(run.out().contains("Hello from crossjobs job " + id), run::describe);
        assertTrue(run.out().contains("step 3 of 3"), run::describe);
        assertEquals("SUCCEEDED", api.status(id));
    }

    @Test
    void aFailingJobExitsNonZeroWithItsReason() throws Exception {
        Run run = crossjobs("launch", "examples/fail.yaml");

        assertEquals(100, run.exit(), run::describe);
        String id = run.jobId();
        assertTrue(run.out().contains("about to fail"), run::describe);
        assertTrue(run.err().contains("job " + id + " FAILED") && run.err().contains("exit code 3"), run::describe);
        assertEquals("FAILED", api.status(id));
    }

    @Test
    void aJobOverItsTimeLimitIsStoppedWithSigtermAndFailsNamingTheLimit() throws Exception {
        Run run = crossjobs("launch", "examples/time-limit.yaml");

        assertEquals(100, run.exit(), run::describe);
        String id = run.jobId();
        assertTrue(run.out().contains("step 3"), run::describe);
        assertTrue(run.out().contains(": saving a checkpoint"), run::describe);
        assertTrue(run.out().contains("crossjobs: max_duration 10s reached: run was stopped (SIGTERM, then SIGKILL"
                + " after 30s), status 124"), run::describe);
        assertTrue(run.out().contains("[job " + id + "] FAILED: max_duration 10s reached ("), run::describe);
        assertTrue(run.err().contains("job " + id + " FAILED: exit code 124, MAX_DURATION_REACHED"), run::describe);
        assertEquals("10s", api.job(id).getString("resources.maxDuration"));
    }

    @Test
    void aFailedJobKeepsItsClusterForDebuggingUntilDownHoldOrItsTimeRunsOut() throws Exception {
        MockCloudClient cloud = new MockCloudClient(LocalStack.config());
        Run run = crossjobs("launch", "--keep-on-failure", "30m", "examples/debug-hold.yaml");

        assertEquals(100, run.exit(), run::describe);
        String id = run.jobId();
        assertTrue(run.err().contains("job " + id + " FAILED: exit code 7") && run.err().contains(" more, $")
                && run.err().contains("end it now with: ./crossjobs down-hold " + id), run::describe);
        List<Map<String, Object>> kept = cloud.aliveInstancesOf(id);
        assertEquals(1, kept.size(), () -> "the failed job's VM stays up: " + kept);
        String instance = String.valueOf(kept.get(0).get("id"));
        Run queue = crossjobs("queue");
        assertTrue(queue.out().contains("KEPT FOR DEBUGGING") && queue.out().contains(instance + ", 29m"),
                queue::describe);

        Run down = crossjobs("down-hold", id);
        assertEquals(0, down.exit(), down::describe);
        assertTrue(down.out().contains("Job " + id + ": cluster cj-" + id + "-1 (" + instance + ") released at"),
                down::describe);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> cloud.aliveInstancesOf(id).isEmpty());
        assertEquals(1, crossjobs("down-hold", id).exit(), "nothing is held any more");

        String second = api.submitYaml(Files.readString(ProjectRoot.find().resolve("examples/debug-hold.yaml"))
                .replace("infra: aws", "infra: aws\n  keep_on_failure: 3s"));
        assertEquals("FAILED", api.awaitTerminal(second, JOB_TIMEOUT));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> cloud.aliveInstancesOf(second).isEmpty() && !cloud.instancesOf(second).isEmpty());
        assertEquals(false, api.job(second).getBoolean("hold.active"));
    }

    @Test
    void aPipelineRunsItsTasksInOrderAndTheOtherExamplesAreAccepted() throws Exception {
        Run run = crossjobs("launch", "examples/pipeline.yaml");

        assertEquals(0, run.exit(), run::describe);
        assertTrue(run.out().contains("(pipeline of 2 tasks)"), run::describe);
        int prepared = run.out().indexOf("preparing data");
        int trained = run.out().indexOf("epoch 2/2");
        assertTrue(prepared >= 0 && trained > prepared, run::describe);

        Run spot = crossjobs("launch", "--detach", "examples/spot.yaml");
        assertEquals(0, spot.exit(), spot::describe);
        assertEquals(0, crossjobs("cancel", spot.jobId()).exit());
    }

    /**
     * {@code crossjobs check} against the stack's provisioners and the mock accounts: every cloud enabled, then two
     * broken accounts named with their gap and fix while the third stays enabled (the README shows these outputs).
     */
    @Test
    void checkSaysEachCloudIsEnabledAndNamesABrokenAccountsGap() throws Exception {
        MockCloudClient cloud = new MockCloudClient(LocalStack.config());
        Run ready = crossjobs("check");
        assertEquals(0, ready.exit(), ready::describe);
        List<String> lines = ready.out().lines().toList();
        assertEquals(3, lines.size(), ready::describe);
        for (String c : List.of("aws", "azure", "gcp")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(c + ": enabled — credentials: ")), ready::describe);
        }
        try {
            cloud.breakAccount("aws", Map.of("credentialsRevoked", true));
            cloud.breakAccount("gcp", Map.of("deniedPermissions", List.of("compute.instances.create")));
            Run broken = crossjobs("check", "-v");
            assertEquals(0, broken.exit(), "azure is still enabled: " + broken.describe());
            assertTrue(broken.out().contains("aws: disabled — credentials: "), broken::describe);
            assertTrue(broken.out().contains("gcp: disabled — permissions: ") && broken.out().contains("compute.instances.create"),
                    broken::describe);
            assertTrue(broken.out().contains("azure: enabled — "), broken::describe);
            assertTrue(broken.out().contains("fix: "), broken::describe);

            cloud.breakAccount("azure", Map.of("missing", List.of("resource-group:" + StackConfig.AZURE_RESOURCE_GROUP)));
            Run none = crossjobs("check", "--cloud", "azure");
            assertEquals(1, none.exit(), none::describe);
            assertTrue(none.out().startsWith("azure: disabled — network: "), none::describe);
        } finally {
            for (String c : List.of("aws", "gcp", "azure")) cloud.breakAccount(c, Map.of());
        }
    }

    @Test
    void envAndNameOverrideTheFileAndQueueListsTheJob() throws Exception {
        Run launched = crossjobs("launch", "examples/hello.yaml", "--name", "cli-greeting", "--env", "GREETING=Howdy");
        assertEquals(0, launched.exit(), launched::describe);
        String id = launched.jobId();
        assertTrue(launched.out().contains("Howdy from crossjobs job " + id), launched::describe);

        Run queue = crossjobs("queue", "--all");

        assertEquals(0, queue.exit(), queue::describe);
        assertTrue(queue.out().startsWith("ID "), queue::describe);
        for (String header : List.of("NAME", "OWNER", "RESOURCES", "SUBMITTED", "DURATION", "#RECOVERIES", "STATUS")) {
            assertTrue(queue.out().lines().findFirst().orElseThrow().contains(header), header);
        }
        String row = queue.out().lines().filter(l -> l.startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("job " + id + " not listed: " + queue.describe()));
        assertTrue(row.contains("cli-greeting") && row.contains("SUCCEEDED") && row.contains("ago"), row);
    }

    @Test
    void cancelStopsADetachedJob() throws Exception {
        Run launched = crossjobs("launch", "--detach", "examples/sleep.yaml");
        assertEquals(0, launched.exit(), launched::describe);
        String id = launched.jobId();

        Run cancel = crossjobs("cancel", id);

        assertEquals(0, cancel.exit(), cancel::describe);
        assertTrue(cancel.out().contains("Cancelling job " + id), cancel::describe);
        assertEquals("CANCELLED", api.awaitTerminal(id, JOB_TIMEOUT));
        Run logs = crossjobs("logs", "-f", id);
        assertEquals(103, logs.exit(), logs::describe);
    }

    /**
     * A job array from the CLI: each rank runs with its own SKYPILOT_JOB_RANK, launch waits for all of them, the
     * queue shows their ranks; then wait and cancel on a second array of long jobs.
     */
    @Test
    void aJobArrayRunsEveryRankAndIsWaitedForListedAndCancelledAsOne() throws Exception {
        Run sweep = crossjobs("launch", "--num-jobs", "3", "examples/sweep.yaml");
        assertEquals(0, sweep.exit(), sweep::describe);
        java.util.regex.Matcher submitted = java.util.regex.Pattern
                .compile("\\[array (\\d+)] submitted 3 jobs of 'sweep' \\(jobs (\\d+) to (\\d+)\\)").matcher(sweep.out());
        assertTrue(submitted.find(), sweep::describe);
        String arrayId = submitted.group(1);
        assertTrue(sweep.out().contains("3 jobs: 3 SUCCEEDED"), sweep::describe);
        List<String> rates = List.of("0.1", "0.03", "0.01");
        Run queue = crossjobs("queue", "--array", arrayId);
        assertEquals(0, queue.exit(), queue::describe);
        for (int rank = 0; rank < 3; rank++) {
            String row = rowOf(queue, arrayId + " rank " + rank + "/3");
            String id = row.split(" +")[0];
            Run logs = crossjobs("logs", id);
            assertTrue(logs.out().contains("rank " + rank + " of 3 trains with learning rate " + rates.get(rank)),
                    logs::describe);
            assertTrue(row.contains("SUCCEEDED"), row);
        }

        Run sleepers = crossjobs("launch", "--detach", "--num-jobs", "2", "examples/sleep.yaml");
        assertEquals(0, sleepers.exit(), sleepers::describe);
        assertTrue(sleepers.out().contains("./crossjobs wait --array "), sleepers::describe);
        String sleeping = sleepers.out().replaceAll("(?s).*\\[array (\\d+)].*", "$1");
        Run cancel = crossjobs("cancel", "--array", sleeping);
        assertEquals(0, cancel.exit(), cancel::describe);
        Run waited = crossjobs("wait", "--array", sleeping);
        assertEquals(103, waited.exit(), waited::describe);
        assertTrue(waited.out().contains("2 jobs: 2 CANCELLED"), waited::describe);
        Run both = crossjobs("wait", arrayId, sleeping);
        assertEquals(103, both.exit(), "one SUCCEEDED and one CANCELLED: " + both.describe());
    }

    private static String rowOf(Run queue, String text) {
        return queue.out().lines().filter(l -> l.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no row with '" + text + "': " + queue.describe()));
    }

    @Test
    void errorsAreExplainedWithANonZeroExit() throws Exception {
        Run badToken = crossjobs("queue", "--token", "cj_not-a-token");
        assertEquals(1, badToken.exit(), badToken::describe);
        assertTrue(badToken.err().contains("401"), badToken::describe);

        Run unknown = crossjobs("logs", "987654321");
        assertEquals(1, unknown.exit(), unknown::describe);
        assertTrue(unknown.err().contains("not found (404)"), unknown::describe);

        Path badTask = Files.writeString(Files.createDirectories(ProjectRoot.find().resolve("scenarios/target/cli-it"))
                .resolve("bad-task.yaml"), "resources:\n  cpus: lots\n  use_spto: true\nrun: echo\n");
        Run refused = crossjobs("launch", badTask.toString());
        assertEquals(1, refused.exit(), refused::describe);
        assertTrue(refused.err().contains("refused (400 Invalid input):") && refused.err().contains("\n  resources.cpus: must be N or N+")
                && refused.err().contains("\n  resources.use_spto: unknown field"), refused::describe);

        Run missingFile = crossjobs("launch", "examples/no-such-task.yaml");
        assertEquals(1, missingFile.exit(), missingFile::describe);
        assertTrue(missingFile.err().contains("does not exist"), missingFile::describe);
    }

    /**
     * A user's submission over their quota (an admin set it small on the running stack) is refused, saying which quota,
     * its limit and the usage; {@code crossjobs usage} shows them.
     */
    @Test
    void aSubmissionOverTheUsersQuotaIsRefusedNamingIt() throws Exception {
        String user = "cli-quota-" + UUID.randomUUID().toString().substring(0, 8);
        String token = asAdmin().contentType(ContentType.JSON).body("{\"user\":\"" + user + "\"}")
                .post("/tokens").then().statusCode(201).extract().path("token");
        asAdmin().contentType(ContentType.JSON).body("{\"live_jobs\": 1}").put("/admin/quotas/" + user).then()
                .statusCode(200);
        Map<String, String> asUser = Map.of("CROSSJOBS_TOKEN", token);
        Run first = crossjobsAs(asUser, "launch", "--detach", "examples/sleep.yaml");
        assertEquals(0, first.exit(), first::describe);

        Run refused = crossjobsAs(asUser, "launch", "examples/hello.yaml");

        assertEquals(1, refused.exit(), refused::describe);
        assertTrue(refused.err().contains("refused (429 too many): quota live-jobs of " + user + " exceeded: limit 1, "
                + "in use 1, this submission needs 1 more"), refused::describe);
        Run usage = crossjobsAs(asUser, "usage");
        assertEquals(0, usage.exit(), usage::describe);
        assertTrue(usage.out().contains("Quotas of " + user + " (set by an admin)")
                && usage.out().matches("(?s).*live jobs +1 +1\n.*"), usage::describe);
        Run cancelled = crossjobsAs(asUser, "cancel", first.jobId());
        assertEquals(0, cancelled.exit(), cancelled::describe);
    }

    private static RequestSpecification asAdmin() {
        return given().baseUri("http://127.0.0.1:" + LocalStack.config().jobApiPort()).auth()
                .oauth2(LocalStack.adminToken());
    }

    private static Run crossjobsAs(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return CrossjobsCommand.run(ProjectRoot.find(), JOB_TIMEOUT.plusSeconds(60), env, args);
    }

    private static Run crossjobs(String... args) throws IOException, InterruptedException {
        return CrossjobsCommand.run(ProjectRoot.find(), JOB_TIMEOUT.plusSeconds(60), args);
    }
}

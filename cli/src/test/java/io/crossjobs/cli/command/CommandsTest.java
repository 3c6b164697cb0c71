package io.crossjobs.cli.command;

import io.crossjobs.cli.CliContext;
import io.crossjobs.cli.CrossjobsCli;
import io.crossjobs.cli.Terminal;
import io.crossjobs.cli.pack.Packer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each command in-process (picocli), against a tiny local server that answers like job-api. */
class CommandsTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path home;

    private FakeJobApi api;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    /** The CLI's environment (a test adds the variables --env NAME / --secret NAME read). */
    private final Map<String, String> env = new HashMap<>(Map.of("CROSSJOBS_USER", "dora"));
    /** No terminal unless a test gives one that answers. */
    private Terminal terminal = Terminal.NONE;

    @BeforeEach
    void start() throws Exception {
        api = new FakeJobApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void helpListsTheJobCommandsAndTheStackOnes() {
        assertEquals(0, run("--help"));
        for (String command : List.of("launch", "queue", "logs", "cancel", "controller", "cost", "usage", "check", "store", "up",
                "down", "status", "bench")) {
            assertTrue(out.toString().contains("\n  " + command + " "), command + " in:\n" + out);
        }
        out.getBuffer().setLength(0);
        assertEquals(0, run("help", "launch"));
        assertTrue(out.toString().startsWith("Usage: crossjobs launch "), out.toString());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, run("launch"));
        assertTrue(err.toString().contains("Missing required parameter: 'TASK.yaml'"), err.toString());
        assertEquals(2, run("cancel", "7", "--all"));
        assertTrue(err.toString().contains("mutually exclusive"), err.toString());
        assertEquals(2, run("controller", "migrate", "--region", "us-central1"));
        assertTrue(err.toString().contains("Missing required option: '--cloud=CLOUD'"), err.toString());
    }

    @Test
    void queueShowsATableWithHumanTimes() {
        api.answer("GET /jobs", 200, """
                {"items":[
                 {"id":"12","name":"train","owner":"admin","status":"RUNNING","numNodes":1,"cloud":"aws","instanceType":"m6i.large",
                  "spot":true,"submittedAt":"2026-11-28T11:57:00Z","runningDurationSeconds":125,"recoveryCount":1},
                 {"id":"11","name":"hello","owner":"admin","status":"PENDING","numNodes":2,"resources":{"cpus":"2+","accelerators":["A100:8"]},
                  "submittedAt":"2026-11-28T09:00:00Z","runningDurationSeconds":null,"recoveryCount":0}],
                 "nextCursor":null}""");

        assertEquals(0, run("queue"));

        assertEquals("""
                ID  NAME   RESOURCES                SUBMITTED   DURATION  #RECOVERIES  STATUS
                12  train  1x AWS(m6i.large, spot)  3 mins ago  2m 5s     1            RUNNING
                11  hello  2x[CPU:2+, A100:8]       3 hrs ago   -         0            PENDING
                """, out.toString());
        FakeJobApi.Request request = api.requests.get(0);
        assertEquals("Bearer t0k", request.authorization());
        String fields = "fields=" + QueueCommand.FIELDS.replace(",", "%2C");
        assertEquals("/jobs?limit=50&" + fields + "&owner=dora", request.pathAndQuery(),
                "without --all: the caller's own jobs, with the fields the table shows");

        out.getBuffer().setLength(0);
        assertEquals(0, run("queue", "--all"));
        assertTrue(out.toString().startsWith("ID  NAME   OWNER  RESOURCES"), out.toString());
        assertEquals("/jobs?limit=50&" + fields, api.requests.get(1).pathAndQuery());
    }

    @Test
    void refusalsAreExplainedWithEveryFieldAndExit1() throws Exception {
        Path task = Files.writeString(home.resolve("t.yaml"), "resources:\n  cpus: lots\nrun: echo\n");
        api.answer("POST /jobs", 400, """
                {"type":"urn:crossjobs:problem:invalid-input","title":"Invalid input","status":400,
                 "detail":"2 fields are invalid","errors":[{"field":"resources.cpus","message":"must be N or N+"},
                 {"field":"resources.use_spto","message":"unknown field"}]}""");

        assertEquals(1, run("launch", task.toString()));

        assertEquals("""
                crossjobs: submitting the job: refused (400 Invalid input):
                  resources.cpus: must be N or N+
                  resources.use_spto: unknown field
                """, err.toString());
        assertEquals("application/yaml", api.requests.get(0).contentType());
    }

    @Test
    void aSubmissionOverAQuotaSaysWhichAndUsageShowsThem() throws Exception {
        Path task = Files.writeString(home.resolve("q.yaml"), "run: echo\n");
        api.answer("POST /jobs", 429, """
                {"type":"urn:crossjobs:problem:quota-exceeded","title":"Quota exceeded","status":429,
                 "detail":"quota live-jobs of dora exceeded: limit 2, in use 2, this submission needs 1 more",
                 "quota":"live-jobs","limit":2,"usage":2,"requested":1}""");

        assertEquals(1, run("launch", task.toString()));

        assertEquals("""
                crossjobs: submitting the job: refused (429 too many): quota live-jobs of dora exceeded: limit 2, in use \
                2, this submission needs 1 more
                  (your usage and quotas: crossjobs usage)
                """, err.toString());

        api.answer("GET /usage", 200, """
                {"owner":"dora","quota":{"liveJobs":2,"nodesPerJob":64,"liveVcpus":1024.0,"liveAccelerators":64,
                 "liveUsdPerHour":100.0},"usage":{"liveJobs":2,"liveVcpus":4.0,"liveAccelerators":0,
                 "liveUsdPerHour":0.1664},"custom":true}""");
        assertEquals(0, run("usage"));
        assertEquals("""
                Quotas of dora (set by an admin)
                QUOTA              IN USE  LIMIT
                live jobs          2       2
                live vCPUs         4       1024
                live accelerators  0       64
                live $/hour        $0.17   $100.00
                nodes per job      -       64
                """, out.toString());
    }

    @Test
    void aRefusedTokenAndAnUnknownJobSaySo() {
        api.answer("GET /jobs/9/logs", 401, "{\"title\":\"Unauthorized\",\"status\":401}");
        assertEquals(1, run("logs", "9"));
        assertTrue(err.toString().contains("refused the token from --token (401 unauthorized)"), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(1, run("cancel", "404404"));
        assertTrue(err.toString().startsWith("crossjobs: job 404404: not found (404): no such thing"), err.toString());
    }

    @Test
    void anUnreachableServerIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertEquals(1, runAgainst("http://127.0.0.1:" + closedPort, "queue"));
        assertTrue(err.toString().startsWith("crossjobs: cannot reach job-api at http://127.0.0.1:" + closedPort
                + " (from --url)"), err.toString());
    }

    @Test
    void launchShowsProgressAndOutputAndExitsWithTheOutcome() throws Exception {
        Path task = Files.writeString(home.resolve("hello.yaml"), "name: hello\nrun: echo hi\n");
        api.answer("POST /jobs", 201, "{\"id\":\"7\",\"name\":\"hi\",\"status\":\"PENDING\",\"taskCount\":1}")
                .answer("GET /jobs/7/events", 200, """
                        [{"from":null,"to":"PENDING","reason":"submitted"},
                         {"from":"PENDING","to":"STARTING","reason":"launching"},
                         {"from":"STARTING","to":"RUNNING","reason":null},
                         {"from":"RUNNING","to":"SUCCEEDED","reason":"exited 0"}]""")
                .answer("GET /jobs/7/logs?follow=true", 200, "hi\nthere\n")
                // output the followed stream did not carry (it broke off) comes from one full read at the end
                .answer("GET /jobs/7/logs", 200, "hi\nthere\nlast words\n")
                .answer("GET /jobs/7", 200, """
                        {"id":"7","name":"hi","status":"SUCCEEDED","cloud":"aws","region":"us-east-1","zone":"us-east-1a",
                         "instanceType":"m6i.large","spot":false,"pricePerHour":0.096,"jobDurationSeconds":12}""");

        assertEquals(0, run("launch", task.toString(), "--name", "hi", "--env", "GREETING=hey"));

        String text = out.toString();
        assertTrue(text.contains("hi\nthere\n"), text);
        assertEquals(1, text.split("last words", -1).length - 1, () -> "missed output shown once: " + text);
        assertTrue(text.contains("""
                [job 7] PENDING: submitted
                [job 7] STARTING: launching
                [job 7] on aws/us-east-1/us-east-1a m6i.large (on-demand, $0.0960/h)
                [job 7] RUNNING
                [job 7] SUCCEEDED: exited 0
                """), text);
        assertTrue(text.endsWith("[job 7] SUCCEEDED in 12s\n"), text);
        FakeJobApi.Request submit = api.requests.get(0);
        assertEquals("application/json", submit.contentType());
        assertEquals("{\"name\":\"hi\",\"run\":\"echo hi\",\"envs\":{\"GREETING\":\"hey\"}}", submit.body());
    }

    @Test
    void aFailedLaunchExitsNonZeroWithTheReason() throws Exception {
        Path task = Files.writeString(home.resolve("fail.yaml"), "run: exit 3\n");
        api.answer("POST /jobs", 201, "{\"id\":\"8\",\"name\":\"job-8\",\"status\":\"PENDING\"}")
                .answer("GET /jobs/8/events", 200, """
                        [{"to":"PENDING"},{"to":"FAILED","failureReason":"USER_CODE_FAILED","exitCode":3}]""")
                .answer("GET /jobs/8/logs?follow=true", 200, "about to fail\n")
                .answer("GET /jobs/8/logs", 200, "about to fail\n")
                .answer("GET /jobs/8", 200, "{\"id\":\"8\",\"status\":\"FAILED\",\"failureReason\":\"USER_CODE_FAILED\",\"exitCode\":3}");

        assertEquals(CrossjobsCli.JOB_FAILED, run("launch", task.toString()));

        assertTrue(out.toString().contains("[job 8] FAILED (exit code 3, USER_CODE_FAILED)"), out.toString());
        assertEquals("crossjobs: job 8 FAILED: exit code 3, USER_CODE_FAILED\n", err.toString());
    }

    @Test
    void detachReturnsOnceSubmitted() throws Exception {
        Path task = Files.writeString(home.resolve("t.yaml"), "run: sleep 600\n");
        api.answer("POST /jobs", 201, "{\"id\":\"9\",\"name\":\"job-9\",\"status\":\"PENDING\"}");

        assertEquals(0, run("launch", "-d", task.toString()));

        assertTrue(out.toString().startsWith("[job 9] submitted 'job-9'"), out.toString());
        assertEquals(1, api.requests.size(), "nothing but the submission");
    }

    @Test
    void launchUploadsTheLocalWorkdirAndFileMountsThenSubmitsTheirDigests() throws Exception {
        // the test's current folder is home: "./code" is under it
        Files.writeString(Files.createDirectories(home.resolve("code")).resolve("train.py"), "print(1)\n");
        Files.writeString(home.resolve(".vimrc"), "set nu\n");
        Path task = Files.writeString(home.resolve("t.yaml"), """
                workdir: ./code
                file_mounts:
                  ~/.vimrc: ~/.vimrc
                  /data: s3://bucket/data
                run: python train.py
                """);
        String workdir;
        String vimrc;
        try (Packer packer = new Packer(1L << 30, home.resolve("expected"))) {
            workdir = packer.pack(home.resolve("code"), "workdir").digest();
            vimrc = packer.pack(home.resolve(".vimrc"), "vimrc").digest();
        }
        api.answer("HEAD /archives/" + vimrc, 200, "")
                .answer("PUT /archives/" + workdir, 201, "{\"digest\":\"" + workdir + "\",\"bytes\":100}")
                .answer("POST /jobs", 201, "{\"id\":\"9\",\"name\":\"job-9\",\"status\":\"PENDING\"}");

        assertEquals(0, run("launch", "-d", task.toString()), err.toString());

        assertEquals(List.of("HEAD /archives/" + workdir, "PUT /archives/" + workdir, "HEAD /archives/" + vimrc,
                "POST /jobs"), api.requests.stream().map(r -> r.method() + " " + r.pathAndQuery()).toList());
        assertEquals("application/octet-stream", api.requests.get(1).contentType());
        assertEquals("{\"workdir\":{\"archive\":\"" + workdir + "\"},\"file_mounts\":{\"~/.vimrc\":{\"file\":\""
                + vimrc + "\"},\"/data\":\"s3://bucket/data\"},\"run\":\"python train.py\"}", api.requests.get(3).body());
        String[] lines = out.toString().split("\n");
        assertTrue(lines[0].startsWith("workdir " + home.resolve("code") + ": archive ")
                && lines[0].endsWith(workdir.substring(0, 19) + " uploaded"), lines[0]);
        assertEquals("file_mounts.~/.vimrc " + home.resolve(".vimrc") + ": file 7 B " + vimrc.substring(0, 19)
                + " unchanged, not uploaded", lines[1]);
        assertTrue(lines[2].startsWith("[job 9] submitted"), lines[2]);
    }

    @Test
    void launchRefusesASourceOverTheUploadLimitBeforeSendingAnything() throws Exception {
        Files.writeString(home.resolve("weights.bin"), "x".repeat(2048));
        Path task = Files.writeString(home.resolve("t.yaml"), "file_mounts:\n  /w: weights.bin\nrun: ls\n");

        assertEquals(1, run("launch", task.toString(), "--max-upload-size", "1KiB"));

        assertTrue(err.toString().startsWith("crossjobs: file_mounts./w: " + home.resolve("weights.bin")
                + " is 2.0 KiB, over the upload limit of 1.0 KiB; nothing was uploaded."), err.toString());
        assertEquals(List.of(), api.requests);
        err.getBuffer().setLength(0);
        assertEquals(2, run("launch", task.toString(), "--max-upload-size", "lots"));
        assertTrue(err.toString().contains("--max-upload-size: 'lots' is not a size"), err.toString());
    }

    @Test
    void cancelByIdByNameAndAll() {
        api.answer("POST /jobs/5/cancel", 202, "{\"id\":\"5\",\"status\":\"RUNNING\"}")
                .answer("POST /jobs/6/cancel", 200, "{\"id\":\"6\",\"status\":\"SUCCEEDED\"}")
                .answer("POST /jobs/cancel?name=train", 200, "{\"requested\":[\"3\",\"4\"],\"alreadyRequested\":[\"2\"]}")
                .answer("POST /jobs/cancel?all=true", 200, "{\"requested\":[],\"alreadyRequested\":[]}");

        assertEquals(0, run("cancel", "5", "6"));
        assertEquals(0, run("cancel", "-n", "train"));
        assertEquals(0, run("cancel", "--all"));

        assertEquals("""
                Cancelling job 5 (was RUNNING).
                Job 6 has already finished (SUCCEEDED): nothing to cancel.
                Cancelling job(s) 3, 4.
                Already cancelling: 2.
                No unfinished jobs.
                """, out.toString());
    }

    @Test
    void aKeptClusterIsShownInTheQueueAndInTheFailureAndDownHoldEndsIt() throws Exception {
        String hold = "{\"cluster\":\"cj-9-1\",\"instanceIds\":[\"i-0a1\",\"i-0a2\"],\"until\":\"2026-11-28T12:30:00Z\","
                + "\"active\":true,\"secondsLeft\":1450,\"costSoFar\":0.012,\"releasedAt\":null}";
        api.answer("GET /jobs", 200, "{\"items\":[{\"id\":\"9\",\"name\":\"debug\",\"status\":\"FAILED\",\"numNodes\":2,"
                        + "\"cloud\":\"aws\",\"instanceType\":\"m6i.large\",\"spot\":false,\"submittedAt\":\"2026-11-28T11:57:00Z\","
                        + "\"runningDurationSeconds\":65,\"recoveryCount\":0,\"hold\":" + hold + "}],\"nextCursor\":null}")
                .answer("DELETE /jobs/9/hold", 202, "{\"id\":\"9\",\"status\":\"FAILED\",\"hold\":{\"cluster\":\"cj-9-1\","
                        + "\"instanceIds\":[\"i-0a1\"],\"until\":\"2026-11-28T12:30:00Z\",\"active\":false,\"secondsLeft\":0,"
                        + "\"costSoFar\":0.0125,\"releasedAt\":\"2026-11-28T12:06:00Z\"}}");
        Path task = Files.writeString(home.resolve("fail.yaml"), "run: exit 3\n");
        api.answer("POST /jobs?keep_on_failure=30m", 201, "{\"id\":\"9\",\"name\":\"debug\",\"status\":\"PENDING\"}")
                .answer("GET /jobs/9/events", 200, "[{\"to\":\"PENDING\"},{\"to\":\"FAILED\",\"exitCode\":3}]")
                .answer("GET /jobs/9/logs?follow=true", 200, "")
                .answer("GET /jobs/9/logs", 200, "")
                .answer("GET /jobs/9", 200, "{\"id\":\"9\",\"status\":\"FAILED\",\"exitCode\":3,\"hold\":" + hold + "}");

        assertEquals(0, run("queue"));
        assertEquals(CrossjobsCli.JOB_FAILED, run("launch", "--keep-on-failure", "30m", task.toString()));
        assertEquals(0, run("down-hold", "9"));

        assertTrue(out.toString().startsWith("""
                ID  NAME   RESOURCES          SUBMITTED   DURATION  #RECOVERIES  STATUS  KEPT FOR DEBUGGING
                9   debug  2x AWS(m6i.large)  3 mins ago  1m 5s     0            FAILED  i-0a1 i-0a2, 24m 10s left, $0.0120
                """), out.toString());
        assertEquals("crossjobs: job 9 FAILED: exit code 3\ncluster cj-9-1 (i-0a1, i-0a2) held 24m 10s more, $0.0120 so far"
                + " for debugging; end it now with: ./crossjobs down-hold 9\n", err.toString());
        assertTrue(out.toString().endsWith("Job 9: cluster cj-9-1 (i-0a1) released at 2026-11-28T12:06:00Z, $0.0125;"
                + " terminating it now.\n"), out.toString());
    }

    @Test
    void cancelAnArray() {
        api.answer("POST /jobs/cancel?array=7", 200, "{\"requested\":[\"7\",\"9\"],\"alreadyRequested\":[]}");

        assertEquals(0, run("cancel", "--array", "7"));

        assertEquals("Cancelling job(s) 7, 9.\n", out.toString());
    }

    @Test
    void waitSaysEachEndAsItHappensThenExitsWithTheWorstOutcome() {
        api.answerInTurn("GET /jobs/5", "{\"id\":\"5\",\"status\":\"RUNNING\"}",
                        "{\"id\":\"5\",\"status\":\"SUCCEEDED\",\"jobDurationSeconds\":65}")
                .answer("GET /jobs/6", 200, "{\"id\":\"6\",\"status\":\"FAILED\",\"failureReason\":\"USER_CODE_FAILED\",\"exitCode\":3}")
                .answer("GET /jobs/8", 200, "{\"id\":\"8\",\"status\":\"CANCELLED\"}")
                .answer("GET /jobs/9", 200, "{\"id\":\"9\",\"status\":\"SUCCEEDED\",\"jobDurationSeconds\":4}");

        assertEquals(100, run("wait", "5", "6", "8"));
        assertEquals("""
                [job 6] FAILED: exit code 3, USER_CODE_FAILED
                [job 8] CANCELLED
                [job 5] SUCCEEDED in 1m 5s
                3 jobs: 1 CANCELLED, 1 FAILED, 1 SUCCEEDED
                """, out.toString());
        assertEquals(2, api.count("GET /jobs/5"), "a job that ended is not asked again; one still running is");

        out.getBuffer().setLength(0);
        assertEquals(103, run("wait", "8", "9"));
        out.getBuffer().setLength(0);
        assertEquals(0, run("wait", "9"));
        assertEquals("[job 9] SUCCEEDED in 4s\n1 job: 1 SUCCEEDED\n", out.toString());
    }

    @Test
    void aLaunchedArrayIsWaitedForAsAWholeAndTheQueueShowsEachJobsRank() throws Exception {
        Path task = Files.writeString(home.resolve("sweep.yaml"), "name: sweep\nrun: echo $SKYPILOT_JOB_RANK\n");
        String running = """
                {"items":[{"id":"8","name":"sweep","status":"RUNNING","array":{"id":"7","rank":1,"size":2}},
                          {"id":"7","name":"sweep","status":"SUCCEEDED","array":{"id":"7","rank":0,"size":2},"jobDurationSeconds":3}]}""";
        String done = running.replace("\"RUNNING\"", "\"SUCCEEDED\"");
        api.answer("POST /jobs?num_jobs=2", 201, """
                        {"arrayId":"7","jobs":[{"id":"7","name":"sweep","status":"PENDING","array":{"id":"7","rank":0,"size":2}},
                                               {"id":"8","name":"sweep","status":"PENDING","array":{"id":"7","rank":1,"size":2}}]}""")
                .answerInTurn("GET /jobs?array=7&limit=500&fields=" + JobWaiter.FIELDS.replace(",", "%2C"), running, done)
                .answer("GET /jobs?limit=50&fields=" + QueueCommand.FIELDS.replace(",", "%2C") + "&array=7&owner=dora", 200, done);

        assertEquals(0, run("launch", "--num-jobs", "2", task.toString()));

        assertEquals("""
                [array 7] submitted 2 jobs of 'sweep' (jobs 7 to 8) to %s
                [job 7] SUCCEEDED in 3s
                [job 8] SUCCEEDED
                2 jobs: 2 SUCCEEDED
                """.formatted(api.url()), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("queue", "--array", "7"));
        assertTrue(out.toString().lines().findFirst().orElseThrow().contains("ARRAY"), out.toString());
        assertTrue(out.toString().contains("7 rank 1/2"), out.toString());
        assertEquals(2, run("launch", "--num-jobs", "0", task.toString()));
    }

    @Test
    void checkWaitsForEachCloudAndPrintsItsLineOrThatItDidNotAnswer() {
        String pending = """
                {"checkId":"check-1","clouds":[
                 {"cloud":"aws","state":"PENDING","line":"aws: waiting","findings":[]},
                 {"cloud":"gcp","state":"PENDING","line":"gcp: waiting","findings":[]}]}""";
        String answered = """
                {"checkId":"check-1","clouds":[
                 {"cloud":"aws","state":"NOT_READY","line":"aws: disabled — permissions: ec2:RunInstances is denied. Fix: attach the policy",
                  "findings":[{"aspect":"CREDENTIALS","ok":true,"detail":"account 1"},
                              {"aspect":"PERMISSIONS","ok":false,"detail":"ec2:RunInstances is denied","fix":"attach the policy"}]},
                 {"cloud":"gcp","state":"PENDING","line":"gcp: waiting","findings":[]}]}""";
        api.answer("POST /checks", 202, pending).answerInTurn("GET /checks/check-1", pending, answered);

        assertEquals(1, run("check", "--cloud", "aws", "--cloud", "gcp", "--wait", "1", "--poll-interval", "10", "-v"));

        assertEquals("""
                aws: disabled — permissions: ec2:RunInstances is denied. Fix: attach the policy
                    ok    credentials account 1
                    FAIL  permissions ec2:RunInstances is denied
                                      fix: attach the policy
                gcp: no answer from provisioner-gcp within 1 s; is it running (./crossjobs status) and reading provision-commands.gcp?
                """, out.toString());
        assertEquals("{\"clouds\":[\"aws\",\"gcp\"]}", api.requests.get(0).body());
    }

    @Test
    void checkExitsZeroWhenACloudIsEnabled() {
        api.answer("POST /checks", 202, """
                {"checkId":"check-2","clouds":[{"cloud":"azure","state":"READY","line":"azure: enabled — credentials: subscription s","findings":[]}]}""");

        assertEquals(0, run("check"));

        assertEquals("azure: enabled — credentials: subscription s\n", out.toString());
        assertEquals(0, api.count("GET /checks/check-2"), "an answer already complete is not polled");
    }

    @Test
    void controllerShowsConfiguredVsEffectiveTheVmAndItsHistory() {
        api.answer("GET /controller", 200, CONTROLLER_AFTER_A_MIGRATION);

        assertEquals(0, run("controller"));

        assertEquals("""
                Controller   controller-1   SERVING
                  configured aws/(cheapest region) cpus=4+ memory=16+ autostop=30m
                  effective  gcp/us-central1 cpus=4+ memory=16+   (placed since 2026-11-28T10:05:00Z)
                  VM         cj-ctl-3 on gcp/us-central1/us-central1-a n2-standard-4, instance 8412, $0.1942/h, SERVING
                             up since 2026-11-28T09:58:00Z (2 hrs ago)
                             process 4242@ctl-host, last heartbeat 2 secs ago, 16 partitions
                  WARNING: configured aws/(cheapest region) but the controller runs on gcp/us-central1
                VMs (newest first)
                CLUSTER   WHERE                          INSTANCE       INSTANCE ID  $/HOUR   STATE    LAUNCHED   ENDED      REASON
                cj-ctl-3  gcp/us-central1/us-central1-a  n2-standard-4  8412         $0.1942  SERVING  2 hrs ago  -          -
                cj-ctl-2  aws/us-east-1/us-east-1a       t3.xlarge      i-0abc       $0.1664  GONE     5 hrs ago  1 hr ago   migrated to gcp/us-central1
                cj-ctl-1  azure/eastus                   D4s_v5         -            $0.1920  FAILED   6 hrs ago  5 hrs ago  no capacity
                Migrations (newest first)
                  2026-11-28T10:05:00Z  aws/us-east-1 -> gcp/us-central1  done
                  2026-11-28T06:00:00Z  aws/us-east-1 -> azure/eastus  FAILED: launch refused: no capacity
                """, out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("controller", "--vms", "1"));
        assertTrue(out.toString().contains("VMs (newest first; 1 of 3, --vms N for more)\n"), out.toString());
        assertEquals(1, out.toString().split("cj-ctl-", -1).length - 2, () -> "one VM row (and the VM line):\n" + out);
    }

    @Test
    void aControllerWithoutAVmAndAMoveUnderWay() {
        api.answer("GET /controller", 200, """
                {"id":"controller-1","configured":{"cloud":"aws","region":"us-east-1","cpus":"4+","memory":"16+",
                  "replicas":1,"autostop":null},
                 "effective":null,"mismatch":false,"message":"migrating from aws/us-east-1 to gcp/us-west1",
                 "since":"2026-11-28T10:00:00Z","state":"MIGRATING",
                 "migration":{"cloud":"gcp","region":"us-west1","since":"2026-11-28T11:59:00Z"},
                 "vms":[],"migrations":[],"history":[]}""");

        assertEquals(0, run("controller"));

        assertEquals("""
                Controller   controller-1   MIGRATING
                  configured aws/us-east-1 cpus=4+ memory=16+
                  effective  - (no controller VM runs)   (placed since 2026-11-28T10:00:00Z)
                  MIGRATING to gcp/us-west1 since 2026-11-28T11:59:00Z (1 min ago)
                """, out.toString());
    }

    @Test
    void migrateFollowsTheMoveUntilTheControllerServesAtTheTarget() {
        String started = migrating("""
                [{"at":"2026-11-28T12:00:00.000123Z","kind":"ControllerMigrationStarted",
                  "message":"migrating controller controller-1 from aws/us-east-1 to gcp/us-central1"},
                 {"at":"2026-11-28T09:00:00Z","kind":"ControllerVmServing","message":"an old entry, not shown"}]""");
        api.answer("POST /controller/migrate", 202, started)
                .answerInTurn("GET /controller", migrating("""
                        [{"at":"2026-11-28T12:00:01Z","kind":"ControllerVmLaunched","clusterName":"cj-ctl-4",
                          "message":"launched cj-ctl-4 on gcp/us-central1"},
                         {"at":"2026-11-28T12:00:00.000123Z","kind":"ControllerMigrationStarted",
                          "message":"migrating controller controller-1 from aws/us-east-1 to gcp/us-central1"}]"""),
                        migrating("""
                        [{"at":"2026-11-28T12:00:20Z","kind":"ControllerVmServing","clusterName":"cj-ctl-4",
                          "message":"cj-ctl-4 serves"},
                         {"at":"2026-11-28T12:00:01Z","kind":"ControllerVmLaunched","clusterName":"cj-ctl-4",
                          "message":"launched cj-ctl-4 on gcp/us-central1"}]"""),
                        """
                        {"id":"controller-1","configured":{"cloud":"aws","region":"us-east-1","cpus":"4+","memory":"16+"},
                         "effective":{"cloud":"gcp","region":"us-central1","zone":"us-central1-b","instanceType":"n2-standard-4",
                          "instanceId":"9001","pricePerHour":0.1942,"clusterName":"cj-ctl-4","state":"SERVING"},
                         "mismatch":true,"message":"configured aws/us-east-1","state":"SERVING","migration":null,
                         "migrations":[{"at":"2026-11-28T12:00:42Z","from":{"cloud":"aws","region":"us-east-1"},
                           "to":{"cloud":"gcp","region":"us-central1"},"completed":true,"message":"migrated"}],
                         "history":[{"at":"2026-11-28T12:00:42Z","kind":"ControllerMigrated","clusterName":"cj-ctl-4",
                           "message":"controller controller-1 migrated from aws/us-east-1 to gcp/us-central1"},
                          {"at":"2026-11-28T12:00:20Z","kind":"ControllerVmServing","clusterName":"cj-ctl-4",
                           "message":"cj-ctl-4 serves"}]}""");

        assertEquals(0, run("controller", "migrate", "--cloud", "gcp", "--poll-interval", "10"), err::toString);

        assertEquals("""
                Migrating the controller to gcp/us-central1 from aws/us-east-1 (started 2026-11-28T12:00:00Z).
                [controller] MigrationStarted: migrating controller controller-1 from aws/us-east-1 to gcp/us-central1
                [controller] VmLaunched: launched cj-ctl-4 on gcp/us-central1
                [controller] VmServing: cj-ctl-4 serves
                [controller] Migrated: controller controller-1 migrated from aws/us-east-1 to gcp/us-central1
                [controller] serving on gcp/us-central1/us-central1-b n2-standard-4 (cluster cj-ctl-4, instance 9001, $0.1942/h); migrated in 42s
                """, out.toString());
        assertEquals("", err.toString());
        assertEquals("{\"cloud\":\"gcp\"}", api.requests.get(0).body(), "no --region: the cloud's cheapest region");
        assertEquals(3, api.count("GET /controller"), "polled until it served at the target");
    }

    @Test
    void migrateExitsWith1AndTheReasonWhenTheMigrationFailed() {
        api.answer("POST /controller/migrate", 202, migrating("""
                [{"at":"2026-11-28T12:00:00Z","kind":"ControllerMigrationStarted","message":"migrating"}]"""))
                .answer("GET /controller", 200, """
                        {"id":"controller-1","configured":{"cloud":"aws","region":"us-east-1"},
                         "effective":{"cloud":"aws","region":"us-east-1","instanceType":"t3.xlarge","state":"SERVING"},
                         "mismatch":false,"state":"SERVING","migration":null,
                         "migrations":[{"at":"2026-11-28T12:00:09Z","from":{"cloud":"aws","region":"us-east-1"},
                           "to":{"cloud":"gcp","region":"us-central1"},"completed":false,
                           "message":"gcp refused the launch: ZONE_RESOURCE_POOL_EXHAUSTED"},
                          {"at":"2026-11-28T08:00:00Z","from":{"cloud":"gcp","region":"us-central1"},
                           "to":{"cloud":"aws","region":"us-east-1"},"completed":true,"message":"migrated"}],
                         "history":[{"at":"2026-11-28T12:00:09Z","kind":"ControllerMigrationFailed",
                           "message":"gcp refused the launch: ZONE_RESOURCE_POOL_EXHAUSTED"},
                          {"at":"2026-11-28T12:00:00Z","kind":"ControllerMigrationStarted","message":"migrating"}]}""");

        assertEquals(1, run("controller", "migrate", "--cloud", "gcp", "--region", "us-central1",
                "--poll-interval", "10"));

        assertEquals("""
                Migrating the controller to gcp/us-central1 from aws/us-east-1 (started 2026-11-28T12:00:00Z).
                [controller] MigrationStarted: migrating
                [controller] MigrationFailed: gcp refused the launch: ZONE_RESOURCE_POOL_EXHAUSTED
                """, out.toString());
        assertEquals("crossjobs: the migration to gcp/us-central1 failed: gcp refused the launch: "
                + "ZONE_RESOURCE_POOL_EXHAUSTED; the controller stays on aws/us-east-1\n", err.toString());
        assertEquals("{\"cloud\":\"gcp\",\"region\":\"us-central1\"}", api.requests.get(0).body());
    }

    @Test
    void migrateDetachedReturnsOnceStartedAndAMoveToWhereItIsDoesNothing() {
        api.answer("POST /controller/migrate", 202, migrating("[]"));

        assertEquals(0, run("controller", "migrate", "--cloud", "gcp", "--detach"));

        assertEquals("""
                Migrating the controller to gcp/us-central1 from aws/us-east-1 (started 2026-11-28T12:00:00Z).
                It goes on without this command: ./crossjobs controller shows how it goes.
                """, out.toString());
        assertEquals(1, api.requests.size(), "nothing but the request to move");

        out.getBuffer().setLength(0);
        api.answer("POST /controller/migrate", 200, """
                {"id":"controller-1","state":"SERVING","migration":null,
                 "effective":{"cloud":"aws","region":"us-east-1","zone":"us-east-1a","instanceType":"t3.xlarge"}}""");
        assertEquals(0, run("controller", "migrate", "--cloud", "aws"));
        assertEquals("The controller already runs on aws/us-east-1/us-east-1a t3.xlarge: nothing to migrate.\n",
                out.toString());
        assertEquals(2, api.requests.size(), "no polling when nothing moves");
    }

    @Test
    void migrateRefusalsNameTheFieldOrTheMoveUnderWay() {
        api.answer("POST /controller/migrate", 400, """
                {"type":"urn:crossjobs:problem:invalid-input","title":"Invalid input","status":400,
                 "detail":"region: unknown region 'mars-1' for cloud gcp",
                 "errors":[{"field":"region","message":"unknown region 'mars-1' for cloud gcp: the catalog has [us-central1]"}]}""");
        assertEquals(1, run("controller", "migrate", "--cloud", "gcp", "--region", "mars-1"));
        assertEquals("""
                crossjobs: migrating the controller: refused (400 Invalid input):
                  region: unknown region 'mars-1' for cloud gcp: the catalog has [us-central1]
                """, err.toString());

        err.getBuffer().setLength(0);
        api.answer("POST /controller/migrate", 409, """
                {"type":"about:blank","title":"Conflict","status":409,"detail":"a migration to azure/eastus is under way"}""");
        assertEquals(1, run("controller", "migrate", "--cloud", "gcp"));
        assertEquals("crossjobs: migrating the controller: refused (409 conflict): a migration to azure/eastus is under way\n",
                err.toString());
        assertEquals(0, api.count("GET /controller"), "a refused move is not followed");
    }

    @Test
    void costReadsAsTables() {
        api.answer("GET /cost", 200, """
                {"at":"2026-11-28T18:00:00.123456Z","totalJobCost":2.2963,"totalEgressCost":1.27,
                 "jobs":[{"id":"42","name":"train","owner":"alice","status":"SUCCEEDED","cloud":"aws","region":"us-east-1",
                          "instanceType":"m6i.large","spot":false,"pricePerHour":0.096,"cost":0.96,
                          "egress":{"launches":2,"bytes":14111111111,"cost":1.27,"unsizedBuckets":0}},
                         {"id":"43","name":"eval","owner":"bob","status":"RUNNING","cloud":"gcp","region":"us-central1",
                          "instanceType":"e2-standard-4","spot":true,"pricePerHour":0.0536,"cost":1.3363,
                          "egress":{"launches":1,"bytes":0,"cost":0,"unsizedBuckets":2}}],
                 "owners":[{"owner":"bob","jobs":1,"cost":1.3363,"egressCost":0},
                           {"owner":"alice","jobs":1,"cost":0.96,"egressCost":1.27}],
                 "controller":{"cloud":"gcp","region":"us-central1","zone":"us-central1-a","cpus":"4+","memory":"16+",
                   "instanceType":"n2-standard-4","usdPerHour":0.1942,"usdPerDay":4.6608,"cost":1.2345,
                   "vms":[{"clusterName":"cj-ctl-1"},{"clusterName":"cj-ctl-2"},{"clusterName":"cj-ctl-3"}],
                   "periods":[{"cloud":"aws","region":"us-east-1","from":"2026-11-28T08:00:00Z","to":"2026-11-28T10:05:00.5Z",
                               "vms":2,"cost":0.3467},
                              {"cloud":"gcp","region":"us-central1","from":"2026-11-28T10:00:00Z","to":null,"vms":1,"cost":0.8878}]},
                 "suggestions":[{"kind":"USE_SPOT","message":"use spot","savingUsd":1.19,"savingPercent":62},
                                {"kind":"CONTROLLER_PLACEMENT","message":"move the controller","savingUsd":0.72,"savingPercent":15}]}""");

        assertEquals(0, run("cost"));

        assertEquals("""
                Job cost so far: $2.30 + $1.27 egress of staging   (as of 2026-11-28T18:00:00Z)
                ID  NAME   OWNER  STATUS     WHERE            INSTANCE              $/HOUR   COST     EGRESS
                42  train  alice  SUCCEEDED  aws/us-east-1    m6i.large             $0.0960  $0.9600  $1.27
                43  eval   bob    RUNNING    gcp/us-central1  e2-standard-4 (spot)  $0.0536  $1.34    $0.00 (+2 buckets)
                +N bucket: staged from another cloud, size unknown to job-api, not in EGRESS

                OWNER  JOBS  COST     EGRESS
                bob    1     $1.34    $0.00
                alice  1     $0.9600  $1.27

                Controller: gcp/us-central1/us-central1-a n2-standard-4 (cpus 4+, memory 16+), $0.1942/hour = $4.66/day; its 3 VMs have cost $1.23 so far
                PLACEMENT        FROM                  TO                    VMS  COST
                aws/us-east-1    2026-11-28T08:00:00Z  2026-11-28T10:05:00Z  2    $0.3467
                gcp/us-central1  2026-11-28T10:00:00Z  now                   1    $0.8878

                Suggestions
                  - use spot [saves $1.19, 62%]
                  - move the controller [saves $0.7200, 15%]
                """, out.toString());
    }

    @Test
    void aControllerThatNeverRanShowsItsEstimate() {
        api.answer("GET /cost", 200, """
                {"at":"2026-11-28T18:00:00Z","totalJobCost":0,"jobs":[],"owners":[],
                 "controller":{"cloud":"aws","region":"us-east-1","zone":null,"cpus":"4+","memory":null,
                   "instanceType":"t3.xlarge","usdPerHour":0.1664,"usdPerDay":3.9936,"cost":0,"vms":[],"periods":[]},
                 "suggestions":[]}""");

        assertEquals(0, run("cost"));

        assertEquals("""
                Job cost so far: $0.00   (as of 2026-11-28T18:00:00Z)

                Controller: aws/us-east-1 t3.xlarge (cpus 4+), $0.1664/hour = $3.99/day; no VM has run yet (the price is the cheapest offer that fits it there)
                """, out.toString());
    }

    @Test
    void storeShowsWhereUploadsLiveOrWhyItCannotBeReached() {
        api.answer("GET /store", 200, "{\"uri\":\"s3://crossjobs-store\"}");
        assertEquals(0, run("store"));
        assertEquals("Uploads are stored in s3://crossjobs-store\n", out.toString());

        api.answer("GET /store", 200, "{\"error\":\"the store is on aws and job-api knows no provisioner of aws: set "
                + "jobapi.archives.provisioners.aws\"}");
        assertEquals(1, run("store"));
        assertEquals("crossjobs: the store cannot be reached: the store is on aws and job-api knows no provisioner of "
                + "aws: set jobapi.archives.provisioners.aws\n", err.toString());

        err.getBuffer().setLength(0);
        api.answer("GET /store", 403, """
                {"title":"Forbidden","status":403,"detail":"only an admin may manage the store: it holds every user's uploads"}""");
        assertEquals(1, run("store"));
        assertEquals("crossjobs: the store: not allowed (403): only an admin may manage the store: it holds every "
                + "user's uploads\n", err.toString());
    }

    @Test
    void storeRemoveWithYesRemovesTheCloudsStore() {
        api.answer("DELETE /store?cloud=gcp", 200, "{\"cloud\":\"gcp\",\"deletedObjects\":12}");

        assertEquals(0, run("store", "remove", "--cloud", "gcp", "--yes"));

        assertEquals("Removed crossjobs' store on gcp (12 objects deleted).\n", out.toString());
        assertEquals(List.of("DELETE /store?cloud=gcp"), api.requests.stream()
                .map(r -> r.method() + " " + r.pathAndQuery()).toList());
    }

    @Test
    void storeRemoveWithoutYesAndWithoutATerminalRefusesAndSendsNothing() {
        assertEquals(2, run("store", "remove", "--cloud", "aws"));

        assertEquals("crossjobs: store remove: stdin is not a terminal, so the removal cannot be confirmed; pass --yes "
                + "to remove crossjobs' store on aws and everything in it\n", err.toString());
        assertEquals(List.of(), api.requests);
        assertEquals(2, run("store", "remove", "--cloud", "mars", "--yes"));
        assertTrue(err.toString().endsWith("crossjobs: --cloud must be aws, gcp or azure, got 'mars'\n"), err.toString());
        assertEquals(2, run("store", "remove"));
        assertTrue(err.toString().contains("Missing required option: '--cloud=CLOUD'"), err.toString());
        assertEquals(List.of(), api.requests);
    }

    @Test
    void storeRemoveAsksOnATerminalAndRemovesOnlyOnYes() {
        api.answer("DELETE /store?cloud=azure", 200, "{\"cloud\":\"azure\",\"deletedObjects\":1}");
        AnsweringTerminal no = new AnsweringTerminal("n");
        terminal = no;
        assertEquals(1, run("store", "remove", "--cloud", "azure"));
        assertEquals(List.of("Remove crossjobs' store on azure? [y/N] "), no.prompts);
        assertTrue(out.toString().startsWith("This deletes crossjobs' store on azure and every upload in it"), out.toString());
        assertEquals("crossjobs: aborted: nothing was removed\n", err.toString());
        terminal = new AnsweringTerminal();
        assertEquals(1, run("store", "remove", "--cloud", "azure"), "end of input (Ctrl-D) is no");
        terminal = new AnsweringTerminal("");
        assertEquals(1, run("store", "remove", "--cloud", "azure"), "no by default");
        assertEquals(List.of(), api.requests);

        out.getBuffer().setLength(0);
        terminal = new AnsweringTerminal(" Yes ");
        assertEquals(0, run("store", "remove", "--cloud", "azure"));
        assertTrue(out.toString().endsWith("Removed crossjobs' store on azure (1 object deleted).\n"), out.toString());
        assertEquals(1, api.count("DELETE /store?cloud=azure"));
    }

    @Test
    void storeRemoveRefusalsSayWhy() {
        api.answer("DELETE /store?cloud=aws", 400, """
                {"type":"urn:crossjobs:problem:invalid-input","title":"Invalid input","status":400,
                 "detail":"cloud: must name the cloud whose crossjobs store to remove: aws, gcp or azure",
                 "errors":[{"field":"cloud","message":"must name the cloud whose crossjobs store to remove: aws, gcp or azure"}]}""");
        assertEquals(1, run("store", "remove", "--cloud", "aws", "-y"));
        assertEquals("""
                crossjobs: removing the store on aws: refused (400 Invalid input):
                  cloud: must name the cloud whose crossjobs store to remove: aws, gcp or azure
                """, err.toString());

        err.getBuffer().setLength(0);
        api.answer("DELETE /store?cloud=aws", 403, """
                {"title":"Forbidden","status":403,"detail":"only an admin may manage the store: it holds every user's uploads"}""");
        assertEquals(1, run("store", "remove", "--cloud", "aws", "-y"));
        assertEquals("crossjobs: removing the store on aws: not allowed (403): only an admin may manage the store: it "
                + "holds every user's uploads\n", err.toString());

        err.getBuffer().setLength(0);
        api.answer("DELETE /store?cloud=aws", 503, "{\"error\":\"the provisioner of aws answered 502: bad gateway\"}");
        assertEquals(1, run("store", "remove", "--cloud", "aws", "-y"));
        assertEquals("crossjobs: removing the store on aws: the store could not be reached through the provisioner of "
                + "aws (503): the provisioner of aws answered 502: bad gateway\n", err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void launchSendsSecretsFromTheFlagAndTheShellAndNeverPrintsThem() throws Exception {
        Path task = Files.writeString(home.resolve("t.yaml"), """
                envs:
                  WANDB_PROJECT:
                secrets:
                  HF_TOKEN: null
                run: train
                """);
        env.put("HF_TOKEN", "hf_from_shell_123");
        env.put("WANDB_PROJECT", "proj");
        api.answer("POST /jobs", 201, "{\"id\":\"9\",\"name\":\"job-9\",\"status\":\"PENDING\"}");

        assertEquals(0, run("launch", "-d", task.toString(), "--secret", "HF_TOKEN", "--secret", "API_KEY=k3y=with=eq",
                "--env", "WANDB_PROJECT"), err::toString);

        assertEquals("{\"envs\":{\"WANDB_PROJECT\":\"proj\"},\"secrets\":{\"HF_TOKEN\":\"hf_from_shell_123\","
                + "\"API_KEY\":\"k3y=with=eq\"},\"run\":\"train\"}", api.requests.get(0).body());
        assertEquals("application/json", api.requests.get(0).contentType());
        assertNoSecretShown("hf_from_shell_123", "k3y=with=eq");

        // a refusal that quoted a value would not show it either
        api.answer("POST /jobs", 400, """
                {"title":"Invalid input","status":400,"errors":[{"field":"secrets.API_KEY","message":"'k3y=with=eq' is odd"}]}""");
        assertEquals(1, run("launch", task.toString(), "--secret", "HF_TOKEN", "--secret", "API_KEY=k3y=with=eq",
                "--env", "WANDB_PROJECT=p"));
        assertTrue(err.toString().contains("secrets.API_KEY: '<redacted>' is odd"), err.toString());
        assertNoSecretShown("hf_from_shell_123", "k3y=with=eq");
    }

    @Test
    void launchRefusesAValueLeftUnsetBeforeSendingAnything() throws Exception {
        Files.createDirectories(home.resolve("code"));
        Path task = Files.writeString(home.resolve("t.yaml"), """
                workdir: ./code
                secrets:
                  HF_TOKEN:
                run: train
                """);

        assertEquals(1, run("launch", task.toString()));
        assertEquals("crossjobs: " + task + ": job-api would refuse the task; nothing was sent:\n"
                + "  secrets.HF_TOKEN: has no value: give it with --secret HF_TOKEN=VALUE, or --secret HF_TOKEN to "
                + "take it from this shell\n", err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("launch", task.toString(), "--secret", "HF_TOKEN"));
        assertEquals("crossjobs: --secret HF_TOKEN: HF_TOKEN is not set in this shell; use --secret HF_TOKEN=VALUE\n",
                err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("launch", task.toString(), "--secret", "HF-TOKEN=s3cr3t"));
        assertEquals("crossjobs: --secret HF-TOKEN: 'HF-TOKEN' is not an environment variable name\n", err.toString());

        err.getBuffer().setLength(0);
        assertEquals(1, run("launch", task.toString(), "--secret", "HF_TOKEN=s3cr3t", "--env", "HF_TOKEN=x"));
        assertTrue(err.toString().contains("  secrets.HF_TOKEN: is also defined in envs"), err.toString());
        assertNoSecretShown("s3cr3t");
        assertEquals(List.of(), api.requests, "nothing uploaded or submitted");
    }

    @Test
    void aUsageErrorDoesNotEchoWhatMayBeASecret() throws Exception {
        Path task = Files.writeString(home.resolve("t.yaml"), "run: train\n");

        // "--secret NAME VALUE" instead of NAME=VALUE: picocli would name VALUE as an unmatched argument
        assertEquals(2, run("launch", task.toString(), "--secret", "HF_TOKEN", "hf_typed_apart"));
        assertTrue(err.toString().startsWith("Unmatched argument at index 8: '<redacted>'\n"), err.toString());
        assertTrue(err.toString().contains("Usage: crossjobs launch "), err.toString());

        err.getBuffer().setLength(0);
        assertEquals(2, run("launch", "--secret=HF_TOKEN=hf_in_flag", "--env", "A=b", task.toString(), "extra"));
        assertTrue(err.toString().startsWith("Unmatched argument at index"), err.toString());
        assertNoSecretShown("hf_typed_apart", "hf_in_flag");
        assertEquals(List.of(), api.requests);
    }

    private void assertNoSecretShown(String... values) {
        for (String v : values) {
            assertFalse(out.toString().contains(v), () -> "secret in the output:\n" + out);
            assertFalse(err.toString().contains(v), () -> "secret in the errors:\n" + err);
        }
    }

    /** A terminal whose user types these answers in turn (then Ctrl-D), recording each prompt. */
    private static final class AnsweringTerminal implements Terminal {
        final List<String> prompts = new ArrayList<>();
        private final Deque<String> answers;

        AnsweringTerminal(String... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public boolean interactive() { return true; }

        @Override
        public String readLine(String prompt) {
            prompts.add(prompt);
            return answers.poll();
        }
    }

    /** A controller moving from aws/us-east-1 to gcp/us-central1 since NOW, with these history entries. */
    private static String migrating(String history) {
        return """
                {"id":"controller-1","configured":{"cloud":"aws","region":"us-east-1","cpus":"4+","memory":"16+"},
                 "effective":{"cloud":"aws","region":"us-east-1","zone":"us-east-1a","instanceType":"t3.xlarge",
                  "pricePerHour":0.1664,"clusterName":"cj-ctl-3","state":"SERVING"},
                 "mismatch":false,"message":"migrating","since":"2026-11-28T08:00:00Z","state":"MIGRATING",
                 "migration":{"cloud":"gcp","region":"us-central1","since":"2026-11-28T12:00:00.000123Z"},
                 "vms":[],"migrations":[],"history":%s}""".formatted(history);
    }

    private static final String CONTROLLER_AFTER_A_MIGRATION = """
            {"id":"controller-1",
             "configured":{"cloud":"aws","region":null,"cpus":"4+","memory":"16+","replicas":1,"autostop":"PT30M"},
             "effective":{"cloud":"gcp","region":"us-central1","zone":"us-central1-a","instanceType":"n2-standard-4",
              "instanceId":"8412","spot":false,"pricePerHour":0.1942,"upSince":"2026-11-28T09:58:00.123456Z",
              "clusterName":"cj-ctl-3","generation":3,"state":"SERVING","cpus":"4+","memory":"16+",
              "process":"4242@ctl-host","lastHeartbeat":"2026-11-28T11:59:58Z","assignedPartitions":16},
             "mismatch":true,"message":"configured aws/(cheapest region) but the controller runs on gcp/us-central1",
             "since":"2026-11-28T10:05:00.000001Z","state":"SERVING","migration":null,
             "vms":[
              {"clusterName":"cj-ctl-3","generation":3,"cloud":"gcp","region":"us-central1","zone":"us-central1-a",
               "instanceType":"n2-standard-4","pricePerHour":0.1942,"instanceId":"8412","state":"SERVING","reason":null,
               "launchedAt":"2026-11-28T09:57:00Z","runningAt":"2026-11-28T09:58:00Z","servingAt":"2026-11-28T10:04:00Z",
               "lastHeartbeatAt":"2026-11-28T11:59:58Z","process":"4242@ctl-host","assignedPartitions":16,
               "stoppingAt":null,"endedAt":null},
              {"clusterName":"cj-ctl-2","generation":2,"cloud":"aws","region":"us-east-1","zone":"us-east-1a",
               "instanceType":"t3.xlarge","pricePerHour":0.1664,"instanceId":"i-0abc","state":"GONE",
               "reason":"migrated to gcp/us-central1","launchedAt":"2026-11-28T07:00:00Z","endedAt":"2026-11-28T10:06:00Z"},
              {"clusterName":"cj-ctl-1","generation":1,"cloud":"azure","region":"eastus","zone":null,
               "instanceType":"D4s_v5","pricePerHour":0.192,"instanceId":null,"state":"FAILED","reason":"no capacity",
               "launchedAt":"2026-11-28T06:00:00Z","endedAt":"2026-11-28T06:00:01Z"}],
             "migrations":[
              {"at":"2026-11-28T10:05:00Z","from":{"cloud":"aws","region":"us-east-1"},
               "to":{"cloud":"gcp","region":"us-central1"},"completed":true,"message":"migrated"},
              {"at":"2026-11-28T06:00:00Z","from":{"cloud":"aws","region":"us-east-1"},
               "to":{"cloud":"azure","region":"eastus"},"completed":false,"message":"launch refused: no capacity"}],
             "history":[]}""";

    private int run(String... args) {
        return runAgainst(api.url(), args);
    }

    private int runAgainst(String url, String... args) {
        CliContext context = new CliContext(env, home, Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC), home,
                terminal);
        CommandLine cli = CrossjobsCli.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        // the connection options belong to the subcommand: put them after its name (or its subcommand's)
        if (!all.contains("--help") && !all.get(0).equals("help")) {
            boolean nested = all.size() > 1 && (all.get(0).equals("controller") && all.get(1).equals("migrate")
                    || all.get(0).equals("store") && all.get(1).equals("remove"));
            int at = nested ? 2 : 1;
            all.addAll(at, List.of("--url", url, "--token", "t0k"));
        }
        return cli.execute(all.toArray(String[]::new));
    }
}

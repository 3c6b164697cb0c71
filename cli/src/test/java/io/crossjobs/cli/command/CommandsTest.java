package io.crossjobs.cli.command;

import io.crossjobs.cli.CliContext;
import io.crossjobs.cli.CrossjobsCli;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each command in-process (picocli), against a tiny local server that answers like job-api. */
class CommandsTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @TempDir
    Path home;

    private FakeJobApi api;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

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
        for (String command : List.of("launch", "queue", "logs", "cancel", "controller", "cost", "up", "down", "status",
                "bench")) {
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
        assertEquals(2, run("controller", "migrate", "--cloud", "gcp"));
        assertTrue(err.toString().contains("--region"), err.toString());
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
        assertEquals("/jobs?limit=50&owner=dora", request.pathAndQuery(), "without --all: the caller's own jobs");

        out.getBuffer().setLength(0);
        assertEquals(0, run("queue", "--all"));
        assertTrue(out.toString().startsWith("ID  NAME   OWNER  RESOURCES"), out.toString());
        assertEquals("/jobs?limit=50", api.requests.get(1).pathAndQuery());
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
    void controllerAndMigrate() {
        String status = """
                {"id":"controller-1","configured":{"cloud":"aws","region":"us-east-1","cpus":"4+","memory":"16+"},
                 "effective":{"cloud":"gcp","region":"us-central1","cpus":"4+","memory":"16+"},"mismatch":true,
                 "message":"configured differs","since":"2026-11-28T10:00:00Z",
                 "migrations":[{"at":"2026-11-28T10:00:00Z","from":{"cloud":"aws","region":"us-east-1"},"to":{"cloud":"gcp","region":"us-central1"}}]}""";
        api.answer("GET /controller", 200, status).answer("POST /controller/migrate", 200, status);

        assertEquals(0, run("controller"));
        assertEquals("""
                Controller   controller-1
                  configured aws/us-east-1 cpus=4+ memory=16+
                  effective  gcp/us-central1 cpus=4+ memory=16+   (since 2026-11-28T10:00:00Z)
                  WARNING: configured differs
                Migrations
                  2026-11-28T10:00:00Z  aws/us-east-1 -> gcp/us-central1
                """, out.toString());

        assertEquals(0, run("controller", "migrate", "--cloud", "gcp", "--region", "us-central1"));
        assertEquals("{\"cloud\":\"gcp\",\"region\":\"us-central1\"}", api.requests.get(1).body());

        api.answer("POST /controller/migrate", 400, "{\"error\":\"unknown region mars-1\",\"field\":\"region\"}");
        assertEquals(1, run("controller", "migrate", "--cloud", "gcp", "--region", "mars-1"));
        assertEquals("""
                crossjobs: migrating the controller: refused (400):
                  region: unknown region mars-1
                """, err.toString());
    }

    @Test
    void costReadsAsTables() {
        api.answer("GET /cost", 200, """
                {"at":"2026-11-28T18:00:00Z","totalJobCost":2.2963,
                 "jobs":[{"id":"42","name":"train","owner":"alice","status":"SUCCEEDED","cloud":"aws","region":"us-east-1",
                          "instanceType":"m6i.large","spot":false,"pricePerHour":0.096,"cost":0.96}],
                 "owners":[{"owner":"alice","jobs":1,"cost":0.96}],
                 "controller":{"cloud":"aws","region":"us-east-1","instanceType":"t3.xlarge","usdPerHour":0.1664,"usdPerDay":3.9936},
                 "suggestions":[{"kind":"USE_SPOT","message":"use spot","savingUsd":1.19,"savingPercent":62.0}]}""");

        assertEquals(0, run("cost"));

        assertEquals("""
                Job cost so far: $2.30   (as of 2026-11-28T18:00:00Z)
                ID  NAME   OWNER  STATUS     WHERE          INSTANCE   $/HOUR   COST
                42  train  alice  SUCCEEDED  aws/us-east-1  m6i.large  $0.0960  $0.9600

                OWNER  JOBS  COST
                alice  1     $0.9600

                Controller: aws/us-east-1 t3.xlarge, $0.1664/hour = $3.99/day

                Suggestions
                  - use spot [saves $1.19, 62%]
                """, out.toString());
    }

    private int run(String... args) {
        return runAgainst(api.url(), args);
    }

    private int runAgainst(String url, String... args) {
        CliContext context = new CliContext(Map.of("CROSSJOBS_USER", "dora"), home, Optional.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        CommandLine cli = CrossjobsCli.commandLine(context);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        // the connection options belong to the subcommand: put them after its name (or its subcommand's)
        if (!all.contains("--help") && !all.get(0).equals("help")) {
            int at = all.size() > 1 && all.get(0).equals("controller") && all.get(1).equals("migrate") ? 2 : 1;
            all.addAll(at, List.of("--url", url, "--token", "t0k"));
        }
        return cli.execute(all.toArray(String[]::new));
    }
}

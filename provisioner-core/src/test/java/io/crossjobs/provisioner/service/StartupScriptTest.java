package io.crossjobs.provisioner.service;

import io.crossjobs.events.NodeIpsLookup;
import io.crossjobs.events.StartupScript;
import io.crossjobs.events.ExitMarkers;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.ScriptOptions;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.TimeLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the generated scripts with the real bash, as a node would. */
class StartupScriptTest {
    private static final Placement PLACEMENT = Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
            .instanceType("t3.micro").pricePerHour(0.01).build();

    @TempDir
    Path dir;

    @Test
    void exportsNodeEnvironmentAndReportsRunExit() throws Exception {
        LaunchCluster launch = launch(Map.of("GREETING", "hello"), null,
                "echo \"job=$CROSSJOBS_JOB_ID task=$CROSSJOBS_TASK_ID rank=$CROSSJOBS_NODE_RANK"
                        + " n=$CROSSJOBS_NUM_NODES ips=$CROSSJOBS_NODE_IPS\"\n"
                        + "echo \"sky task=$SKYPILOT_TASK_ID rank=$SKYPILOT_NODE_RANK n=$SKYPILOT_NUM_NODES"
                        + " ips=$SKYPILOT_NODE_IPS\"\n"
                        + "echo \"$GREETING\"; echo to-stderr >&2; exit 3");

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of("10.0.0.7")));

        assertEquals(3, run.exitCode());
        assertTrue(run.output().contains("job=job-42 task=task-7 rank=0 n=1 ips=10.0.0.7\n"), run.output());
        assertTrue(run.output().contains("sky task=task-7 rank=0 n=1 ips=10.0.0.7\n"), run.output());
        assertTrue(run.output().contains("hello\nto-stderr\n"), run.output());
        assertTrue(run.output().endsWith("\n##crossjobs:run-exit=3##\n"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.RUN, 3), ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void userTextCannotBreakOutOfItsQuotes() throws Exception {
        String nasty = "it's \"quoted\" $HOME `date` $(echo injected) \\ ; exit 9\nsecond line '";
        LaunchCluster launch = launch(Map.of("NASTY", nasty), null,
                "printf '%s|' \"$NASTY\"; echo; echo 'single '\"'\"' quote'; cat <<'EOF'\nliteral $HOME\nEOF");

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of()));

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().startsWith(nasty + "|\n"), run.output());
        assertTrue(run.output().contains("single ' quote\nliteral $HOME\n"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.RUN, 0), ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void failedSetupIsReportedAndRunIsSkipped() throws Exception {
        LaunchCluster launch = launch(Map.of(), "echo setting up; exit 4", "echo must-not-run");

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of()));

        assertEquals(4, run.exitCode());
        assertTrue(run.output().contains("setting up\n"), run.output());
        assertFalse(run.output().contains("must-not-run"), run.output());
        assertFalse(run.output().contains("run-exit"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.SETUP, 4), ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void successfulSetupIsFollowedByRunWithoutSetupMarker() throws Exception {
        LaunchCluster launch = launch(Map.of(), "echo setup-ok", "echo ran; read line; echo stdin-closed=$?");

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of()));

        assertEquals(0, run.exitCode());
        assertTrue(run.output().contains("setup-ok\nran\nstdin-closed=1\n"), run.output());
        assertFalse(run.output().contains("setup-exit"), run.output());
        assertTrue(run.output().endsWith("##crossjobs:run-exit=0##\n"), run.output());
    }

    @Test
    void ownAddressIsUsedWhenNodeIpsAreNotKnownBeforeBoot() throws Exception {
        ScriptRun run = execute(StartupScript.render(launch(Map.of(), null, "echo \"ips=[$CROSSJOBS_NODE_IPS]\""), 0,
                List.of()));

        assertTrue(run.output().matches("(?s)ips=\\[[0-9a-f.:]+\\]\n.*"), run.output());
    }

    @Test
    void multiNodeClusterGetsRankAndAllAddresses() throws Exception {
        LaunchCluster launch = new LaunchCluster("job-42", 1, "cj-42-1", "task-7", PLACEMENT, 2, Map.of(), null,
                "echo \"rank=$SKYPILOT_NODE_RANK n=$SKYPILOT_NUM_NODES\"; echo \"$SKYPILOT_NODE_IPS\"");

        ScriptRun run = execute(StartupScript.render(launch, 1, List.of("10.0.0.1", "10.0.0.2")));

        assertTrue(run.output().startsWith("rank=1 n=2\n10.0.0.1\n10.0.0.2\n"), run.output());
    }

    @Test
    void secretsAreFetchedOnceReachTheRunAndAreInNeitherTheScriptNorTheOutput() throws Exception {
        // the run compares a digest, so that the secret itself is nowhere in the script
        String digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("s3cr3t value".getBytes(StandardCharsets.UTF_8)));
        LaunchCluster launch = launch(Map.of(), "test -n \"$API_TOKEN\"",
                "[ \"$(printf %s \"$API_TOKEN\" | sha256sum | cut -d' ' -f1)\" = " + digest + " ] && echo token-ok");
        Path stored = dir.resolve("stored-secrets");
        Files.writeString(stored, StartupScript.secretsFile(Map.of("API_TOKEN", "s3cr3t value")));
        // stands in for a cloud's pre-signed GET then DELETE
        SecretDelivery delivery = new SecretDelivery("cp " + stored + " \"$1\" && rm " + stored);

        String script = StartupScript.render(launch, 0, ScriptOptions.defaults().withSecrets(delivery));
        ScriptRun run = execute(script);

        assertFalse(script.contains("s3cr3t"), script);
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("token-ok"), run.output());
        assertFalse(run.output().contains("s3cr3t"), run.output());
        assertFalse(Files.exists(stored), "the stored secrets are deleted once fetched");
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(),
                    "no copy of the secrets is left on the node");
        }
    }

    @Test
    void aNodeThatCannotFetchItsSecretsEndsBeforeTheTaskWithItsOwnSetupExit() throws Exception {
        LaunchCluster launch = launch(Map.of(), "echo setup ran", "echo run ran");
        SecretDelivery delivery = new SecretDelivery("echo fetch failed; false");

        ScriptRun run = ScriptRun.withoutSleep(StartupScript.render(launch, 0,
                ScriptOptions.defaults().withSecrets(delivery)), dir);

        assertEquals(SecretDelivery.UNAVAILABLE, run.exitCode(), run.output());
        assertEquals(SecretDelivery.FETCH_TRIES, run.output().split("fetch failed", -1).length - 1, run.output());
        assertTrue(run.output().contains("could not fetch the task's secrets"), run.output());
        assertFalse(run.output().contains("setup ran") || run.output().contains("run ran"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.SETUP, SecretDelivery.UNAVAILABLE),
                ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void sealedSecretsOpenOnlyWithTheKey() {
        String key = io.crossjobs.events.SecretSealer.newKey();
        String sealed = io.crossjobs.events.SecretSealer.fromBase64Key(key).seal("v");
        assertEquals(Map.of("T", "v"), new SecretOpener(java.util.Optional.of(key)).open(Map.of("T", sealed)));
        var noKey = assertThrows(IllegalArgumentException.class,
                () -> new SecretOpener(java.util.Optional.empty()).open(Map.of("T", sealed)));
        assertTrue(noKey.getMessage().contains("crossjobs.secrets.key"));
        var wrongKey = assertThrows(IllegalArgumentException.class, () ->
                new SecretOpener(java.util.Optional.of(io.crossjobs.events.SecretSealer.newKey())).open(Map.of("T", sealed)));
        assertTrue(wrongKey.getMessage().contains("'T'") && !wrongKey.getMessage().contains(sealed));
        assertEquals(Map.of(), new SecretOpener(java.util.Optional.empty()).open(Map.of()));
    }

    @Test
    void invalidEnvNameIsRefused() {
        LaunchCluster launch = launch(Map.of("BAD-NAME", "x"), null, "true");
        var e = assertThrows(IllegalArgumentException.class, () -> StartupScript.render(launch, 0, List.of()));
        assertTrue(e.getMessage().contains("BAD-NAME"));
    }

    @Test
    void multiNodeWaitsUntilItsMetadataListsEveryNodeThenExportsThemHeadFirst() throws Exception {
        LaunchCluster launch = new LaunchCluster("job-42", 1, "cj-42-1", "task-7", PLACEMENT, 3, Map.of(), null,
                "echo \"rank=$SKYPILOT_NODE_RANK\"; printf '[%s]\\n' \"$SKYPILOT_NODE_IPS\"; "
                        + "printf '<%s>\\n' \"$CROSSJOBS_NODE_IPS\"");
        // the metadata lists one node on the first two reads, then all three
        String read = "n=$(cat reads 2>/dev/null || echo 0); echo $((n + 1)) > reads\n"
                + "if [ \"$n\" -ge 2 ]; then echo '10.0.0.4 10.0.0.5  10.0.0.6'; else echo '10.0.0.4'; fi";

        ScriptRun run = execute(StartupScript.render(launch, 1,
                ScriptOptions.defaults().withLookup(new NodeIpsLookup(read, Duration.ofMinutes(1)))));

        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().startsWith("rank=1\n[10.0.0.4\n10.0.0.5\n10.0.0.6]\n<10.0.0.4\n10.0.0.5\n10.0.0.6>\n"),
                run.output());
        assertEquals("3", Files.readString(dir.resolve("reads")).strip(), "it read until the list was complete");
    }

    @Test
    void multiNodeGivesUpWithASetupFailureWhenTheAddressesNeverComplete() throws Exception {
        LaunchCluster launch = new LaunchCluster("job-42", 1, "cj-42-1", "task-7", PLACEMENT, 2, Map.of(),
                "echo setup-ran", "echo run-ran");

        ScriptRun run = execute(StartupScript.render(launch, 0,
                ScriptOptions.defaults().withLookup(new NodeIpsLookup("echo 10.0.0.4", Duration.ofSeconds(1)))));

        assertEquals(NodeIpsLookup.TIMED_OUT, run.exitCode(), run.output());
        assertTrue(run.output().contains("gave up after 1 s waiting for the addresses of all 2 nodes"), run.output());
        assertFalse(run.output().contains("-ran"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.SETUP, NodeIpsLookup.TIMED_OUT),
                ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void shippedOutputArrivesWholeInOffsetNamedChunksEndingWithTheMarker() throws Exception {
        // 10 MB at once, then a line after a pause longer than the ship interval
        LaunchCluster launch = launch(Map.of(), null,
                "seq 1 1400000; sleep " + (OutputShipping.SHIP_INTERVAL_SECONDS + 1) + "; echo late line");
        Files.createDirectories(dir.resolve("store"));
        String ship = "cp \"$1\" \"store/$(printf '%016d' \"$2\")\"";

        ScriptRun run = execute(StartupScript.render(launch, 0,
                ScriptOptions.defaults().withShipping(new OutputShipping(ship))));

        assertEquals(0, run.exitCode(), run.output());
        assertEquals("", run.output(), "the console keeps nothing of the job's output");
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 1_400_000; i++) expected.append(i).append('\n');
        expected.append("late line\n\n##crossjobs:run-exit=0##\n");
        List<Path> chunks;
        try (var listed = Files.list(dir.resolve("store"))) {
            chunks = listed.sorted().toList();
        }
        // 10 MB makes three chunks of 4 MiB at most; the late line is a fourth unless the loop was still shipping
        // the third when it came (a busy machine), so only the three are certain
        assertTrue(chunks.size() >= 3, "4 MiB chunks at most: " + chunks);
        ByteArrayOutputStream shipped = new ByteArrayOutputStream();
        for (Path chunk : chunks) {
            assertEquals(shipped.size(), Long.parseLong(chunk.getFileName().toString()), "named by its offset");
            assertTrue(Files.size(chunk) <= OutputShipping.MAX_CHUNK_BYTES);
            shipped.write(Files.readAllBytes(chunk));
        }
        assertEquals(expected.toString(), shipped.toString(StandardCharsets.UTF_8));
    }

    /**
     * The script counts whole seconds ({@code date +%s}) from its start, so a run may start up to a second into its
     * budget: 2 s leave it at least 1 s to run, however the second ticks.
     */
    private static final long LEFT = 2;

    @Test
    void aRunStillGoingAtItsTimeLimitGetsSigtermThenEndsWithTheTimeLimitMarker() throws Exception {
        LaunchCluster launch = launch(Map.of(), null,
                "trap 'echo checkpointing; exit 0' TERM; echo working; sleep 30 & wait $!")
                .withTimeLimit(new TimeLimit(7200, LEFT, 5));

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of()));

        assertEquals(124, run.exitCode(), run.output());
        assertTrue(run.output().contains("working\ncheckpointing\n"), run.output());
        assertTrue(run.output().contains("crossjobs: max_duration 2h reached: run was stopped (SIGTERM, then SIGKILL"
                + " after 5s), status 124\n"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.TIME_LIMIT, 124), ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void aRunIgnoringSigtermIsKilledAfterTheGrace() throws Exception {
        LaunchCluster launch = launch(Map.of(), null, "trap '' TERM; sleep 30")
                .withTimeLimit(new TimeLimit(60, LEFT, 1));

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of()));

        assertEquals(137, run.exitCode(), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.TIME_LIMIT, 137), ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void underItsTimeLimitATaskEndsAsItsOwnExitSaysEvenWithTimeoutsOwnCode() throws Exception {
        LaunchCluster launch = launch(Map.of(), "echo set", "echo done; exit 124")
                .withTimeLimit(new TimeLimit(60, 60, 5));

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of()));

        assertEquals(124, run.exitCode(), run.output());
        assertFalse(run.output().contains("max_duration"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.RUN, 124), ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void setupThatUsesUpTheLimitStopsTheTaskBeforeRun() throws Exception {
        LaunchCluster launch = launch(Map.of(), "sleep 30", "echo must-not-run")
                .withTimeLimit(new TimeLimit(90, 1, 1));

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of()));

        assertFalse(run.output().contains("must-not-run"), run.output());
        assertTrue(run.output().contains("crossjobs: max_duration 1m30s reached: setup was stopped"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.TIME_LIMIT, 124), ExitMarkers.first(run.output()).orElseThrow());
    }

    @Test
    void anAttemptWithNothingLeftOfItsLimitRunsNothing() throws Exception {
        LaunchCluster launch = launch(Map.of(), null, "echo must-not-run")
                .withTimeLimit(new TimeLimit(60, 0, 5));

        ScriptRun run = execute(StartupScript.render(launch, 0, List.of()));

        assertFalse(run.output().contains("must-not-run"), run.output());
        assertEquals(new ExitMarkers.Exit(RunPhase.TIME_LIMIT, 124), ExitMarkers.first(run.output()).orElseThrow());
    }

    private static LaunchCluster launch(Map<String, String> envs, String setup, String run) {
        return new LaunchCluster("job-42", 1, "cj-42-1", "task-7", PLACEMENT, 1, envs, setup, run);
    }

    private ScriptRun execute(String script) throws IOException, InterruptedException {
        return ScriptRun.of(script, dir);
    }
}

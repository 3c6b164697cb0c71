package io.crossjobs.mockcloud.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code /bin/bash} user data: output, exit code, and killing the whole process tree. */
class ProcessWorkloadTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path stateDir;

    private VmSimulator sim;
    private ProcessWorkloadRunner runner;

    private VmSimulator simulator(Duration killGrace) {
        runner = new ProcessWorkloadRunner(stateDir, false, killGrace, Map.of("EXTRA_VAR", "extra"));
        sim = new VmSimulator(SimulatorSettings.defaults().withBootDelay(Duration.ZERO)
                .withShutdownDelay(Duration.ofMillis(100)).withKillGrace(killGrace), Clock.systemUTC(), runner);
        return sim;
    }

    @AfterEach
    void close() {
        if (sim != null) sim.close();
    }

    private VmView launch(String script) {
        VmView vm = sim.launch(new LaunchRequest(Cloud.AWS, "us-east-1", "us-east-1a", "t3.micro", "ami-1",
                Map.of(), false, script.getBytes(StandardCharsets.UTF_8), 1, "RunInstances", null, null, null,
                null)).vms().get(0);
        sim.tick();
        assertEquals(VmState.RUNNING, sim.get(vm.id()).orElseThrow().state());
        return vm;
    }

    private String console(VmView vm) {
        return sim.console(vm.id()).orElseThrow().text();
    }

    private static long readPid(Path file) {
        await().atMost(WAIT).until(() -> Files.isRegularFile(file) && !Files.readString(file).isBlank());
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void theScriptRunsInItsOwnDirectoryAndItsOutputIsTheConsole() {
        simulator(Duration.ofSeconds(1));
        VmView vm = launch("#!/bin/bash\necho hello\necho oops >&2\npwd\necho \"$MOCK_CLOUD_INSTANCE_ID $EXTRA_VAR\"\n"
                + "echo data > file.txt\nexit 3\n");
        await().atMost(WAIT).until(() -> sim.get(vm.id()).orElseThrow().workloadExitCode() != null);
        sim.tick();
        VmView done = sim.get(vm.id()).orElseThrow();
        assertEquals(3, done.workloadExitCode());
        // the instance keeps running after its script ended, as on EC2
        assertEquals(VmState.RUNNING, done.state());
        await().atMost(WAIT).until(() -> console(vm).contains(vm.id() + " extra"));
        String out = console(vm);
        assertTrue(out.startsWith("hello\n"), out);
        assertTrue(out.contains("oops\n"), out);
        Path root = stateDir.resolve(vm.id()).resolve("root");
        assertTrue(out.contains(root.toString()), out);
        assertTrue(Files.isRegularFile(root.resolve("file.txt")));
    }

    @Test
    void terminateKillsTheWholeProcessTreeIncludingWhatOutlivedTheScript() {
        simulator(Duration.ofSeconds(1));
        // one child in the background of a still-running script, one left behind by a script that ended
        VmView busy = launch("#!/bin/bash\nsleep 300 &\necho $! > child.pid\nsleep 300\n");
        VmView ended = launch("#!/bin/bash\nnohup sleep 300 >/dev/null 2>&1 &\necho $! > orphan.pid\nexit 0\n");
        long child = readPid(stateDir.resolve(busy.id()).resolve("root/child.pid"));
        long orphan = readPid(stateDir.resolve(ended.id()).resolve("root/orphan.pid"));
        long script = sim.get(busy.id()).orElseThrow().workloadPid();
        await().atMost(WAIT).until(() -> sim.get(ended.id()).orElseThrow().workloadExitCode() != null);
        assertTrue(alive(child) && alive(orphan) && alive(script));

        sim.terminate(List.of(busy.id(), ended.id()), v -> true);
        await().atMost(WAIT).until(() -> !alive(child) && !alive(orphan) && !alive(script));
    }

    @Test
    void aScriptThatIgnoresSigtermIsKilledAfterTheGracePeriod() {
        simulator(Duration.ofMillis(300));
        VmView vm = launch("#!/bin/bash\ntrap '' TERM\necho $$ > self.pid\nwhile true; do sleep 0.1; done\n");
        long pid = readPid(stateDir.resolve(vm.id()).resolve("root/self.pid"));
        sim.terminate(List.of(vm.id()), v -> true);
        long start = System.nanoTime();
        // the hard kill happens on a tick after the grace period
        await().atMost(WAIT).until(() -> {
            sim.tick();
            return !alive(pid);
        });
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos());
    }

    @Test
    void closeKillsEveryWorkload() {
        simulator(Duration.ofMillis(500));
        VmView vm = launch("#!/bin/bash\nsleep 300 &\necho $! > child.pid\nwait\n");
        long child = readPid(stateDir.resolve(vm.id()).resolve("root/child.pid"));
        long script = sim.get(vm.id()).orElseThrow().workloadPid();
        sim.close();
        // gone, or at most a zombie waiting to be reaped by init
        assertFalse(ProcessWorkload.running(child));
        assertFalse(ProcessWorkload.running(script));
        assertFalse(ProcessWorkload.groupAlive(script));
        await().atMost(WAIT).until(() -> !alive(child) && !alive(script));
    }

    @Test
    void leftoversOfAnEarlierRunAreReaped() throws IOException {
        simulator(Duration.ofSeconds(1));
        VmView vm = launch("#!/bin/bash\nsleep 300\n");
        long pid = sim.get(vm.id()).orElseThrow().workloadPid();
        assertNotNull(pid);
        // a second mock-cloud on the same state dir, as after a crash of the first one
        ProcessWorkloadRunner next = new ProcessWorkloadRunner(stateDir, false, Duration.ofSeconds(1), Map.of());
        assertEquals(1, next.reapLeftovers());
        await().atMost(WAIT).until(() -> !alive(pid));
        assertFalse(Files.exists(stateDir.resolve(vm.id()).resolve(ProcessWorkloadRunner.PID_FILE)));
    }

    @Test
    void theConsoleKeepsMultibyteTextIntact() {
        simulator(Duration.ofSeconds(1));
        VmView vm = launch("#!/bin/bash\nfor i in $(seq 1 3000); do printf 'é€😀'; done\necho\n");
        await().atMost(WAIT).until(() -> sim.get(vm.id()).orElseThrow().workloadExitCode() != null
                && console(vm).endsWith("\n"));
        String out = console(vm);
        assertEquals("é€😀".repeat(3000) + "\n", out);
    }
}

package io.crossjobs.mockcloud.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each VM as a user of its own (where this machine allows it: root and setpriv): it cannot read this machine's
 * private files nor another VM's, and works in its own home. A VM tagged as the controller runs as this user.
 */
class WorkloadUsersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private VmSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) sim.close();
    }

    private VmView run(String script, Map<String, String> tags) {
        VmView vm = sim.launch(new LaunchRequest(Cloud.AWS, "us-east-1", "us-east-1a", "t3.micro", "ami-1", tags,
                false, script.getBytes(StandardCharsets.UTF_8), 1, "RunInstances", null, null, null, null)).vms().get(0);
        sim.tick();
        await().atMost(WAIT).until(() -> sim.get(vm.id()).orElseThrow().workloadExitCode() != null);
        return vm;
    }

    private String console(VmView vm) {
        return sim.console(vm.id()).orElseThrow().text();
    }

    @Test
    void aVmCannotReadThisMachinesPrivateFilesNorAnotherVmsButWorksInItsHome() throws Exception {
        WorkloadUsers users = WorkloadUsers.detect(true);
        assumeTrue(users.isolating(), "this machine cannot run a VM as a user of its own (needs root and setpriv)");
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path secret = Files.writeString(dir.resolve("admin-token"), "cj_secret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        ProcessWorkloadRunner runner = new ProcessWorkloadRunner(state, false, Duration.ofSeconds(1), Map.of(), null,
                users);
        sim = new VmSimulator(SimulatorSettings.defaults().withBootDelay(Duration.ZERO)
                .withShutdownDelay(Duration.ofMillis(100)), Clock.systemUTC(), runner);

        VmView first = run("#!/bin/bash\necho \"uid $(id -u)\"\necho kept > \"$HOME/notes\"; cat \"$HOME/notes\"\n"
                + "cat " + secret + " && echo LEAKED\necho home=$HOME\n", Map.of("crossjobs-role", "job"));
        String out = console(first);
        assertTrue(out.contains("uid " + users.uidOf(first).getAsInt()) && users.uidOf(first).getAsInt()
                >= WorkloadUsers.FIRST_UID, out);
        assertTrue(out.contains("kept\n"), out);
        assertTrue(out.contains("Permission denied") && !out.contains("LEAKED"), out);
        String firstHome = out.substring(out.indexOf("home=") + 5).trim();

        VmView second = run("#!/bin/bash\ncat " + firstHome + "/notes && echo LEAKED\nls " + state + " && echo LISTED\n",
                Map.of());
        assertTrue(console(second).contains("Permission denied") && !console(second).contains("LEAKED"),
                console(second));
        assertTrue(users.uidOf(first).getAsInt() != users.uidOf(second).getAsInt());

        VmView controller = run("#!/bin/bash\necho \"uid $(id -u)\"\ncat " + secret + "\n",
                Map.of("crossjobs-role", "controller"));
        assertTrue(console(controller).contains("uid 0\ncj_secret"), console(controller));
        assertEquals(0, sim.get(controller.id()).orElseThrow().workloadExitCode());
    }
}

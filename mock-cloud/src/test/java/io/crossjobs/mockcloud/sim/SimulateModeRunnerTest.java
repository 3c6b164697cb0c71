package io.crossjobs.mockcloud.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.crossjobs.events.CloudTags;
import io.crossjobs.events.ClusterRole;

/** Simulate mode: users' workloads are simulated, the jobs controller's VM runs its user data as a process. */
class SimulateModeRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SCRIPT = "#!/bin/bash\nexport CROSSJOBS_SIM_DURATION_MS=60000\n"
            + "echo \"really running as $MOCK_CLOUD_INSTANCE_ID\"\nsleep 60\n";

    @TempDir
    Path stateDir;

    private VmSimulator sim;

    @AfterEach
    void close() {
        if (sim != null) sim.close();
    }

    private VmView launch(Cloud cloud, String region, String zone, Map<String, String> tags) {
        return sim.launch(new LaunchRequest(cloud, region, zone, "small", "image-1", tags, false,
                SCRIPT.getBytes(StandardCharsets.UTF_8), 1, "launch", null, null, null, null)).vms().get(0);
    }

    private String console(VmView vm) {
        return sim.console(vm.id()).orElseThrow().text();
    }

    @Test
    void onlyTheVmTaggedControllerRunsForReal() {
        Clock clock = Clock.systemUTC();
        sim = new VmSimulator(SimulatorSettings.defaults().withBootDelay(Duration.ZERO)
                .withShutdownDelay(Duration.ofMillis(100)).withKillGrace(Duration.ofMillis(500)), clock,
                new SimulateModeRunner(new SimulatedWorkloadRunner(clock, Duration.ofSeconds(1)),
                        new ProcessWorkloadRunner(stateDir, false, Duration.ofMillis(500), Map.of())));
        // the simulator keeps EC2 tags, GCE labels and ARM tags alike: one VM of each cloud
        VmView controller = launch(Cloud.GCP, "us-central1", "us-central1-a",
                Map.of(CloudTags.ROLE, ClusterRole.CONTROLLER.tagValue()));
        VmView job = launch(Cloud.AWS, "us-east-1", "us-east-1a", Map.of(CloudTags.ROLE, ClusterRole.JOB.tagValue()));
        VmView untagged = launch(Cloud.AZURE, "eastus", "1", Map.of());

        sim.tick();

        assertTrue(controller.runsController());
        await().atMost(WAIT).until(() -> console(controller).contains("really running as " + controller.id()));
        Long pid = sim.get(controller.id()).orElseThrow().workloadPid();
        assertNotNull(pid, "the controller's user data is a real process");
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        for (VmView simulated : List.of(job, untagged)) {
            assertFalse(simulated.runsController());
            assertNull(sim.get(simulated.id()).orElseThrow().workloadPid(), simulated.cloud() + " is simulated");
            assertTrue(console(simulated).startsWith("[mock-cloud] simulated workload: runs 60000 ms"),
                    console(simulated));
            assertFalse(console(simulated).contains("really running"));
        }

        // terminating the controller's VM kills its process, as for any VM outside simulate mode
        sim.terminate(List.of(controller.id()), v -> true);
        await().atMost(WAIT).until(() -> {
            sim.tick();     // escalates to SIGKILL after the grace period
            return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        });
    }
}

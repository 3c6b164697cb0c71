package io.crossjobs.mockcloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SimulatedWorkloadTest {
    private final MutableClock clock = new MutableClock();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults().withBootDelay(Duration.ZERO),
            clock, new SimulatedWorkloadRunner(clock, Duration.ofSeconds(1)));

    private VmView launch(String script) {
        VmView vm = sim.launch(new LaunchRequest(Cloud.AWS, "us-east-1", "us-east-1a", "t3.micro", "ami-1",
                Map.of(), false, script.getBytes(StandardCharsets.UTF_8), 1, "RunInstances", null, null, null,
                null)).vms().get(0);
        sim.tick();
        return vm;
    }

    private String console(VmView vm) {
        return sim.console(vm.id()).orElseThrow().text();
    }

    @Test
    void durationAndExitCodeComeFromTheExports() {
        VmView vm = launch("#!/bin/bash\nset -e\nexport CROSSJOBS_SIM_DURATION_MS=5000\n"
                + "export CROSSJOBS_SIM_EXIT_CODE=\"7\"\n"
                + "echo \"##crossjobs:setup-exit=$?##\"\nrun-the-job\necho \"##crossjobs:run-exit=$?##\"\n");
        assertTrue(console(vm).contains("##crossjobs:setup-exit=0##\n"), console(vm));
        assertFalse(console(vm).contains("run-exit"));
        clock.advance(Duration.ofMillis(4999));
        sim.tick();
        assertFalse(console(vm).contains("run-exit"));
        assertNull(sim.get(vm.id()).orElseThrow().workloadExitCode());
        clock.advance(Duration.ofMillis(1));
        sim.tick();
        assertTrue(console(vm).endsWith("##crossjobs:run-exit=7##\n"), console(vm));
        assertEquals(7, sim.get(vm.id()).orElseThrow().workloadExitCode());
        assertEquals(VmState.RUNNING, sim.get(vm.id()).orElseThrow().state());
        assertFalse(sim.get(vm.id()).orElseThrow().workloadPid() != null);
    }

    @Test
    void defaultsWithoutExports() {
        VmView vm = launch("#!/bin/bash\necho hi\n");
        assertFalse(console(vm).contains("setup-exit"));
        clock.advance(Duration.ofSeconds(1));
        sim.tick();
        assertTrue(console(vm).endsWith("##crossjobs:run-exit=0##\n"), console(vm));
    }

    @Test
    void aKilledSimulationPrintsNoExitMarker() {
        VmView vm = launch("#!/bin/bash\nexport CROSSJOBS_SIM_DURATION_MS=10000\n");
        sim.terminate(List.of(vm.id()), v -> true);
        clock.advance(Duration.ofSeconds(20));
        sim.tick();
        assertFalse(console(vm).contains("run-exit"), console(vm));
    }

    @Test
    void exportParsing() {
        String script = "export A=1\n  export CROSSJOBS_SIM_EXIT_CODE='3' # comment\nexport X=\"a b\"\n"
                + "echo export CROSSJOBS_SIM_DURATION_MS=9\nexport CROSSJOBS_SIM_DURATION_MS=42\n";
        assertEquals("3", SimulatedWorkload.exported(script, "CROSSJOBS_SIM_EXIT_CODE"));
        assertEquals("42", SimulatedWorkload.exported(script, "CROSSJOBS_SIM_DURATION_MS"));
        assertEquals("a b", SimulatedWorkload.exported(script, "X"));
        assertNull(SimulatedWorkload.exported(script, "MISSING"));
    }
}

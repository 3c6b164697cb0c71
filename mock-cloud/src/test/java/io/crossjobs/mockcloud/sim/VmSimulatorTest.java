package io.crossjobs.mockcloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VmSimulatorTest {
    private final MutableClock clock = new MutableClock();
    private final SimulatorSettings settings = SimulatorSettings.defaults()
            .withBootDelay(Duration.ofSeconds(1)).withShutdownDelay(Duration.ofSeconds(2))
            .withTerminatedRetention(Duration.ofMinutes(10));
    private final RecordingRunner runner = new RecordingRunner();
    private final VmSimulator sim = new VmSimulator(settings, clock, runner);

    @AfterEach
    void close() {
        sim.close();
    }

    static LaunchRequest request(String zone, int count, String key, String fingerprint, String userData) {
        return new LaunchRequest(Cloud.AWS, "us-east-1", zone, "m5.large", "ami-1", Map.of("job", "j1"), false,
                userData.getBytes(StandardCharsets.UTF_8), count, "RunInstances", null, key, fingerprint, null);
    }

    private VmView only(String id) {
        return sim.get(id).orElseThrow();
    }

    @Test
    void pendingUntilTheBootDelayThenRunningAndTheShebangScriptStarts() {
        VmView vm = sim.launch(request("us-east-1a", 1, null, null, "#!/bin/bash\necho hi\n")).vms().get(0);
        assertEquals(VmState.PENDING, vm.state());
        assertEquals(StateReason.PENDING, vm.stateReason());
        assertTrue(vm.id().matches("i-[0-9a-f]{17}"), vm.id());
        assertTrue(vm.groupId().matches("r-[0-9a-f]{17}"), vm.groupId());

        clock.advance(Duration.ofMillis(999));
        sim.tick();
        assertEquals(VmState.PENDING, only(vm.id()).state());
        assertTrue(runner.started.isEmpty());

        clock.advance(Duration.ofMillis(1));
        sim.tick();
        VmView running = only(vm.id());
        assertEquals(VmState.RUNNING, running.state());
        assertNull(running.stateReason());
        assertEquals(List.of(vm.id()), runner.started);
    }

    @Test
    void userDataWithoutShebangIsNotRun() {
        VmView vm = sim.launch(request("us-east-1a", 1, null, null, "cloud-config: yes")).vms().get(0);
        clock.advance(Duration.ofSeconds(2));
        sim.tick();
        assertEquals(VmState.RUNNING, only(vm.id()).state());
        assertTrue(runner.started.isEmpty());
    }

    @Test
    void terminateGoesThroughShuttingDownAndTheVmVanishesAfterTheRetention() {
        VmView vm = sim.launch(request("us-east-1a", 1, null, null, "#!/bin/sh\n")).vms().get(0);
        clock.advance(Duration.ofSeconds(1));
        sim.tick();

        List<StateChange> changes = sim.terminate(List.of(vm.id()), v -> true);
        assertEquals(List.of(new StateChange(vm.id(), VmState.RUNNING, VmState.SHUTTING_DOWN)), changes);
        assertEquals(1, runner.killed.size());
        VmView down = only(vm.id());
        assertEquals(StateReason.USER_TERMINATED, down.stateReason());

        clock.advance(Duration.ofMillis(1999));
        sim.tick();
        assertEquals(VmState.SHUTTING_DOWN, only(vm.id()).state());
        clock.advance(Duration.ofMillis(1));
        sim.tick();
        assertEquals(VmState.TERMINATED, only(vm.id()).state());
        assertEquals(StateReason.USER_TERMINATED, only(vm.id()).stateReason());

        // terminating again changes nothing
        assertEquals(List.of(new StateChange(vm.id(), VmState.TERMINATED, VmState.TERMINATED)),
                sim.terminate(List.of(vm.id()), v -> true));

        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        sim.tick();
        assertTrue(sim.get(vm.id()).isPresent());
        clock.advance(Duration.ofMillis(1));
        sim.tick();
        assertTrue(sim.get(vm.id()).isEmpty());
        assertEquals(List.of(vm.id()), runner.forgotten);
    }

    @Test
    void terminateIsAllOrNothing() {
        VmView vm = sim.launch(request("us-east-1a", 1, null, null, "")).vms().get(0);
        UnknownVmException e = assertThrows(UnknownVmException.class,
                () -> sim.terminate(List.of(vm.id(), "i-0000000000000000a"), v -> true));
        assertEquals(List.of("i-0000000000000000a"), e.ids());
        assertEquals(VmState.PENDING, only(vm.id()).state());
        // a VM the caller cannot see counts as unknown
        assertThrows(UnknownVmException.class, () -> sim.terminate(List.of(vm.id()), v -> false));
    }

    @Test
    void privateIpsAreUnique() {
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            for (VmView vm : sim.launch(request("us-east-1a", 100, null, null, "")).vms()) {
                assertTrue(vm.privateIp().matches("10\\.\\d+\\.\\d+\\.\\d+"), vm.privateIp());
                assertFalse(vm.privateIp().endsWith(".0") || vm.privateIp().endsWith(".255"), vm.privateIp());
                assertTrue(ips.add(vm.privateIp()), "duplicate " + vm.privateIp());
            }
        }
        assertEquals(600, ips.size());
    }

    @Test
    void anIdempotencyKeyReturnsTheFirstLaunch() {
        LaunchResult first = sim.launch(request("us-east-1a", 2, "tok", "same", ""));
        LaunchResult again = sim.launch(request("us-east-1a", 2, "tok", "same", ""));
        assertFalse(first.replayed());
        assertTrue(again.replayed());
        assertEquals(first.groupId(), again.groupId());
        assertEquals(first.vms().stream().map(VmView::id).toList(), again.vms().stream().map(VmView::id).toList());
        assertEquals(2, sim.list().size());

        assertThrows(IdempotencyMismatchException.class,
                () -> sim.launch(request("us-east-1a", 2, "tok", "different", "")));

        // keys are per cloud and region
        LaunchRequest west = new LaunchRequest(Cloud.AWS, "us-west-2", "us-west-2a", "m5.large", "ami-1", Map.of(),
                false, null, 1, "RunInstances", null, "tok", "same", null);
        assertFalse(sim.launch(west).replayed());
        assertEquals(3, sim.list().size());
    }

    @Test
    void aFaultFailsTheNextMatchingLaunchesOnly() {
        sim.faults().add(new FaultSpec("aws", "us-east-1", "us-east-1b", null, null, 2,
                "InsufficientInstanceCapacity", null, null));
        // another zone: not matched
        sim.launch(request("us-east-1a", 1, null, null, ""));
        SimulatedFault f = assertThrows(SimulatedFault.class,
                () -> sim.launch(request("us-east-1b", 1, null, null, "")));
        assertEquals("InsufficientInstanceCapacity", f.errorCode());
        assertEquals(500, f.httpStatus());
        assertTrue(f.getMessage().contains("m5.large capacity") && f.getMessage().contains("us-east-1b"),
                f.getMessage());
        assertEquals(1, sim.faults().list().get(0).remaining());
        assertThrows(SimulatedFault.class, () -> sim.launch(request("us-east-1b", 1, null, null, "")));
        assertTrue(sim.faults().list().isEmpty());
        sim.launch(request("us-east-1b", 1, null, null, ""));
        assertEquals(2, sim.list().size());
    }

    @Test
    void aFailedLaunchDoesNotClaimItsIdempotencyKey() {
        sim.faults().add(new FaultSpec(null, null, null, null, null, 1, "InsufficientInstanceCapacity", null, null));
        assertThrows(SimulatedFault.class, () -> sim.launch(request("us-east-1a", 1, "tok", "fp", "")));
        assertFalse(sim.launch(request("us-east-1a", 1, "tok", "fp", "")).replayed());
    }

    @Test
    void preemptionNowOrLater() {
        List<VmView> vms = sim.launch(request("us-east-1a", 2, null, null, "#!/bin/sh\n")).vms();
        clock.advance(Duration.ofSeconds(1));
        sim.tick();

        VmView now = sim.preempt(vms.get(0).id(), Duration.ZERO);
        assertEquals(VmState.SHUTTING_DOWN, now.state());
        assertEquals(StateReason.SPOT_TERMINATION, now.stateReason());
        assertEquals("Server.SpotInstanceTermination", now.stateReason().code());

        VmView later = sim.preempt(vms.get(1).id(), Duration.ofSeconds(5));
        assertEquals(VmState.RUNNING, later.state());
        assertEquals(clock.instant().plusSeconds(5), later.preemptAt());
        clock.advance(Duration.ofSeconds(5));
        sim.tick();
        assertEquals(VmState.SHUTTING_DOWN, only(vms.get(1).id()).state());
        assertEquals(StateReason.SPOT_TERMINATION, only(vms.get(1).id()).stateReason());
        assertEquals(2, runner.killed.size());

        clock.advance(Duration.ofSeconds(2));
        sim.tick();
        assertEquals(VmState.TERMINATED, only(vms.get(0).id()).state());
        assertThrows(IllegalStateException.class, () -> sim.preempt(vms.get(0).id(), Duration.ZERO));
        assertThrows(UnknownVmException.class, () -> sim.preempt("i-00000000", Duration.ZERO));
    }

    @Test
    void aPreemptedVmStaysShuttingDownAsLongAsTheTestAsks() {
        VmView vm = sim.launch(request("us-east-1a", 1, null, null, "#!/bin/sh\n")).vms().get(0);
        clock.advance(Duration.ofSeconds(1));
        sim.tick();

        sim.preempt(vm.id(), Duration.ZERO, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        sim.tick();
        assertEquals(VmState.SHUTTING_DOWN, only(vm.id()).state(), "past the setting, within the asked 30 s");
        clock.advance(Duration.ofSeconds(1));
        sim.tick();
        assertEquals(VmState.TERMINATED, only(vm.id()).state());
    }

    @Test
    void aVmTerminatedWhilePendingNeverStartsItsScript() {
        VmView vm = sim.launch(request("us-east-1a", 1, null, null, "#!/bin/sh\n")).vms().get(0);
        sim.terminate(List.of(vm.id()), v -> true);
        clock.advance(Duration.ofSeconds(5));
        sim.tick();
        assertEquals(VmState.TERMINATED, only(vm.id()).state());
        assertTrue(runner.started.isEmpty());
    }

    @Test
    void resetForgetsEverything() {
        sim.launch(request("us-east-1a", 3, "tok", "fp", ""));
        sim.faults().add(new FaultSpec(null, null, null, null, null, 1, "X", null, null));
        sim.reset();
        assertTrue(sim.list().isEmpty());
        assertTrue(sim.faults().list().isEmpty());
        assertFalse(sim.launch(request("us-east-1a", 1, "tok", "fp", "")).replayed());
    }

    @Test
    void idsDifferPerCloud() {
        LaunchRequest gcp = new LaunchRequest(Cloud.GCP, "us-central1", "us-central1-a", "e2-small", "debian",
                Map.of(), true, null, 2, "instances.insert", List.of("vm-a", "vm-b"), null, null, null);
        List<VmView> vms = sim.launch(gcp).vms();
        assertTrue(vms.get(0).id().matches("\\d{19}"), vms.get(0).id());
        assertEquals("vm-b", vms.get(1).name());
        assertNotEquals(vms.get(0).id(), vms.get(1).id());
        assertEquals(1, vms.get(1).launchIndex());
    }

    /** Records starts and kills instead of running anything. */
    static final class RecordingRunner implements WorkloadRunner {
        final List<String> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> killed = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> forgotten = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public Workload start(VmView vm, byte[] userData, ConsoleBuffer console) {
            started.add(vm.id());
            return new Workload() {
                boolean alive = true;

                @Override
                public void poll(java.time.Instant now) { }

                @Override
                public void kill(java.time.Instant now) {
                    killed.add(vm.id());
                    alive = false;
                }

                @Override
                public void forceKill() {
                    alive = false;
                }

                @Override
                public boolean isAlive() {
                    return alive;
                }

                @Override
                public Integer exitCode() {
                    return alive ? null : 143;
                }

                @Override
                public long pid() {
                    return -1;
                }
            };
        }

        @Override
        public void forget(VmView vm) {
            forgotten.add(vm.id());
        }
    }
}

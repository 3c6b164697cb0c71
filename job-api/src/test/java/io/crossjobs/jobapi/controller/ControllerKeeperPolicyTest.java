package io.crossjobs.jobapi.controller;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControllerKeeperPolicyTest {
    private static final Optimizer OPTIMIZER = new Optimizer(PriceCatalog.fromClasspath(
            List.of("catalog/aws.csv", "catalog/gcp.csv", "catalog/azure.csv")));
    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final ControllerKeeperPolicy.Limits LIMITS = new ControllerKeeperPolicy.Limits(1, Optional.empty(),
            Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofSeconds(5));

    private static ControllerRecord controller() {
        return new ControllerRecord("controller-1a2b3c4d", "gcp", "us-central1", "4+", "16+", T0, T0, null, null, null,
                null, 1);
    }

    private static ControllerVm vm(int generation, String cloud, String region, ControllerVmState state,
                                   Instant lastHeartbeat) {
        return new ControllerVm("cj-controller-1a2b3c4d-" + generation, generation, cloud, region, region + "-a",
                "e2-standard-4", 0.134, "i-" + generation, state, "r", T0, T0, state == ControllerVmState.SERVING
                ? T0 : null, lastHeartbeat, null, 4, null, state.alive() ? null : T0);
    }

    private static List<KeeperAction> decide(ControllerKeeperPolicy.Limits limits, ControllerRecord c,
                                              List<ControllerVm> vms, long liveJobs, Instant now) {
        return new ControllerKeeperPolicy(OPTIMIZER, limits).decide(new KeeperView(c, vms, liveJobs, null, T0), now);
    }

    @Test
    void theFirstStartLaunchesOneVmOnTheCheapestFittingInstanceOfItsPlacement() {
        List<KeeperAction> actions = decide(LIMITS, controller(), List.of(), 0, T0);
        assertEquals(1, actions.size());
        KeeperAction.Launch launch = assertInstanceOf(KeeperAction.Launch.class, actions.get(0));
        assertEquals("gcp", launch.placement().cloud());
        assertEquals("us-central1", launch.placement().region());
        assertTrue(launch.reason().startsWith("first start"), launch.reason());
        assertTrue(!launch.placement().spot(), "the controller runs on demand");
    }

    @Test
    void aServingVmThatKeepsHeartbeatingIsLeftAlone() {
        ControllerVm serving = vm(1, "gcp", "us-central1", ControllerVmState.SERVING, T0.plusSeconds(58));
        assertEquals(List.of(), decide(LIMITS, controller(), List.of(serving), 3, T0.plusSeconds(60)));
    }

    @Test
    void aSilentVmIsStoppedAsLostAndReplacedAtOnce() {
        ControllerVm silent = vm(1, "gcp", "us-central1", ControllerVmState.SERVING, T0.plusSeconds(30));
        List<KeeperAction> actions = decide(LIMITS, controller(), List.of(silent), 50, T0.plusSeconds(51));
        KeeperAction.Stop stop = assertInstanceOf(KeeperAction.Stop.class, actions.get(0));
        assertTrue(stop.lost());
        assertTrue(stop.reason().contains("no heartbeat"), stop.reason());
        assertInstanceOf(KeeperAction.Launch.class, actions.get(1));
    }

    @Test
    void silenceWhileTheKeeperWasNotListeningIsNotALoss() {
        ControllerVm serving = vm(1, "gcp", "us-central1", ControllerVmState.SERVING, T0.plusSeconds(30));
        // job-api was down from 30 s to 100 s: at 110 s it has listened for 10 s only
        List<KeeperAction> actions = new ControllerKeeperPolicy(OPTIMIZER, LIMITS).decide(new KeeperView(controller(),
                List.of(serving), 5, null, T0.plusSeconds(100)), T0.plusSeconds(110));
        assertEquals(List.of(), actions);
        List<KeeperAction> later = new ControllerKeeperPolicy(OPTIMIZER, LIMITS).decide(new KeeperView(controller(),
                List.of(serving), 5, null, T0.plusSeconds(100)), T0.plusSeconds(121));
        assertInstanceOf(KeeperAction.Stop.class, later.get(0), "still silent 21 s after listening began");
    }

    @Test
    void aPreemptedVmThatHadServedIsReplacedWithoutBackoff() {
        ControllerVm gone = new ControllerVm("cj-controller-1a2b3c4d-1", 1, "gcp", "us-central1", "us-central1-a",
                "e2-standard-4", 0.134, "i-1", ControllerVmState.GONE, "preempted", T0, T0, T0, T0, "1@vm", 4, null, T0);
        List<KeeperAction> actions = decide(LIMITS, controller(), List.of(gone), 0, T0.plusSeconds(1));
        KeeperAction.Launch launch = assertInstanceOf(KeeperAction.Launch.class, actions.get(0));
        assertTrue(launch.reason().startsWith("replacing cj-controller-1a2b3c4d-1"), launch.reason());
    }

    @Test
    void failedLaunchesBackOffDoublingEachTime() {
        ControllerVm failed2 = vm(2, "gcp", "us-central1", ControllerVmState.FAILED, null);
        ControllerVm failed1 = vm(1, "gcp", "us-central1", ControllerVmState.FAILED, null);
        // two failures in a row: wait 2 × 5 s after the last one ended (T0)
        assertEquals(List.of(), decide(LIMITS, controller(), List.of(failed2, failed1), 0, T0.plusSeconds(9)));
        assertInstanceOf(KeeperAction.Launch.class,
                decide(LIMITS, controller(), List.of(failed2, failed1), 0, T0.plusSeconds(10)).get(0));
    }

    @Test
    void aMigrationLaunchesAtTheTargetThenStopsTheOldVmOnceTheNewOneServes() {
        ControllerRecord migrating = new ControllerRecord("controller-1a2b3c4d", "aws", "us-east-1", "4+", "16+", T0,
                T0, "azure", "eastus", T0.plusSeconds(100), null, 2);
        ControllerVm old = vm(1, "aws", "us-east-1", ControllerVmState.SERVING, T0.plusSeconds(100));
        List<KeeperAction> first = decide(LIMITS, migrating, List.of(old), 50, T0.plusSeconds(101));
        KeeperAction.Launch launch = assertInstanceOf(KeeperAction.Launch.class, first.get(0));
        assertEquals("azure", launch.placement().cloud());
        assertEquals("eastus", launch.placement().region());

        ControllerVm booting = vm(2, "azure", "eastus", ControllerVmState.BOOTING, null);
        assertEquals(List.of(), decide(LIMITS, migrating, List.of(booting, old), 50, T0.plusSeconds(110)),
                "nothing stops before the new VM serves");

        ControllerVm serving = vm(2, "azure", "eastus", ControllerVmState.SERVING, T0.plusSeconds(119));
        List<KeeperAction> done = decide(LIMITS, migrating, List.of(serving, old), 50, T0.plusSeconds(120));
        KeeperAction.Stop stop = assertInstanceOf(KeeperAction.Stop.class, done.get(0));
        assertEquals(old.clusterName(), stop.clusterName());
        KeeperAction.CompleteMigration complete = assertInstanceOf(KeeperAction.CompleteMigration.class, done.get(1));
        assertEquals(serving.clusterName(), complete.newCluster());
    }

    @Test
    void aMigrationWhoseTargetCannotBeHadEndsAndTheOldControllerKeepsServing() {
        ControllerRecord migrating = new ControllerRecord("controller-1a2b3c4d", "aws", "us-east-1", "4+", "16+", T0,
                T0, "azure", "eastus", T0, null, 3);
        ControllerVm old = vm(1, "aws", "us-east-1", ControllerVmState.SERVING, T0.plusSeconds(10));
        ControllerVm refused = vm(2, "azure", "eastus", ControllerVmState.FAILED, null);
        List<KeeperAction> actions = decide(LIMITS, migrating, List.of(refused, old), 5, T0.plusSeconds(11));
        assertEquals(1, actions.size());
        KeeperAction.AbortMigration abort = assertInstanceOf(KeeperAction.AbortMigration.class, actions.get(0));
        assertTrue(abort.reason().contains("stays on aws/us-east-1"), abort.reason());
    }

    @Test
    void autostopStopsAnIdleControllerAndALiveJobBringsItBack() {
        ControllerKeeperPolicy.Limits autostop = new ControllerKeeperPolicy.Limits(1, Optional.of(Duration.ofMinutes(10)),
                Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofSeconds(5));
        ControllerVm serving = vm(1, "gcp", "us-central1", ControllerVmState.SERVING, T0.plusSeconds(599));
        ControllerKeeperPolicy policy = new ControllerKeeperPolicy(OPTIMIZER, autostop);
        assertEquals(List.of(), policy.decide(new KeeperView(controller(), List.of(serving), 0, T0.plusSeconds(1), T0),
                T0.plusSeconds(600)), "idle for 599 s only");
        List<KeeperAction> stop = policy.decide(new KeeperView(controller(), List.of(serving), 0, T0.plusSeconds(1), T0),
                T0.plusSeconds(601));
        assertInstanceOf(KeeperAction.IdleStop.class, stop.get(0));
        assertInstanceOf(KeeperAction.Stop.class, stop.get(1));

        ControllerRecord stopped = new ControllerRecord("controller-1a2b3c4d", "gcp", "us-central1", "4+", "16+", T0,
                T0, null, null, null, T0.plusSeconds(601), 2);
        ControllerVm gone = vm(1, "gcp", "us-central1", ControllerVmState.GONE, null);
        assertEquals(List.of(), policy.decide(new KeeperView(stopped, List.of(gone), 0, T0, T0), T0.plusSeconds(700)));
        List<KeeperAction> resume = policy.decide(new KeeperView(stopped, List.of(gone), 1, T0, T0), T0.plusSeconds(800));
        assertInstanceOf(KeeperAction.IdleResume.class, resume.get(0));
        assertInstanceOf(KeeperAction.Launch.class, resume.get(1));
    }

    @Test
    void replicasAreKeptUpAndDown() {
        ControllerKeeperPolicy.Limits two = new ControllerKeeperPolicy.Limits(2, Optional.empty(),
                Duration.ofSeconds(20), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofSeconds(5));
        ControllerVm one = vm(1, "gcp", "us-central1", ControllerVmState.SERVING, T0);
        KeeperAction.Launch second = assertInstanceOf(KeeperAction.Launch.class,
                decide(two, controller(), List.of(one), 0, T0).get(0));
        assertTrue(second.reason().contains("replica 2 of 2"), second.reason());

        List<ControllerVm> three = new ArrayList<>(List.of(vm(3, "gcp", "us-central1", ControllerVmState.SERVING, T0),
                vm(2, "gcp", "us-central1", ControllerVmState.SERVING, T0), one));
        List<KeeperAction> actions = decide(LIMITS, controller(), three, 0, T0);
        assertEquals(2, actions.size());
        assertEquals("cj-controller-1a2b3c4d-3", ((KeeperAction.Stop) actions.get(0)).clusterName(), "newest first");
    }
}

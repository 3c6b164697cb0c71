package io.crossjobs.controller.service;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.controller.model.Decision;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.OutputHold;
import io.crossjobs.controller.model.OutputHoldChange;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.ClusterFound;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.OutputEnd;
import io.crossjobs.events.OutputStored;
import io.crossjobs.events.ReleaseHoldRequested;
import io.crossjobs.events.Resources;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.events.TerminateCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.crossjobs.events.JobStatus.FAILED;
import static io.crossjobs.events.JobStatus.FAILED_SETUP;
import static io.crossjobs.events.JobStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code resources.keep_on_failure}: a failed job's cluster kept for debugging, then terminated, or released early. */
class ClusterHoldTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Optimizer OPTIMIZER = new Optimizer(PriceCatalog.fromClasspath(List.of("catalog/aws.csv")));
    private static final long THIRTY_MINUTES = 1800;

    private final MovingClock clock = new MovingClock(NOW);
    private final Decider decider = new Decider(OPTIMIZER, 3, clock);
    private final OutputWait wait = new OutputWait(decider, Duration.ofSeconds(20), clock);

    private ManagedJob running(Long keepSeconds) {
        Resources r = Resources.builder().cloud("aws").region("us-east-1").instanceType("m6i.large")
                .keepOnFailureSeconds(keepSeconds).build();
        ManagedJob pending = ManagedJob.pending("j1", "debug-me", "alice",
                new TaskSpec("t", r, 2, Map.of(), "pip install x", "python train.py"), NOW, NOW);
        ManagedJob starting = decider.onLaunchSlot(pending).resultingJob(pending);
        ClusterProgress up = ClusterProgress.of("j1").attempt(starting.attempt()).clusterName(starting.clusterName())
                .state(ClusterState.RUNNING).cloud("aws").region("us-east-1").zone(starting.placement().zone())
                .instanceIds(List.of("i-0a1", "i-0a2")).at(NOW).build();
        return decider.onClusterProgress(starting, up).resultingJob(starting);
    }

    private static JobExited exit(ManagedJob job, RunPhase phase, int code, List<OutputEnd> ends) {
        return new JobExited(job.id(), job.attempt(), job.clusterName(), phase, code, NOW, ends);
    }

    @Test
    void aFailedRunKeepsItsClusterUntilTheHoldIsOverThenItIsTerminatedAndBilled() {
        ManagedJob running = running(THIRTY_MINUTES);
        assertEquals(List.of("i-0a1", "i-0a2"), running.instanceIds());
        clock.advance(Duration.ofMinutes(10));

        Decision failed = decider.onJobExited(running, exit(running, RunPhase.RUN, 3, null));

        ManagedJob job = failed.resultingJob(running);
        assertEquals(FAILED, job.status());
        assertEquals(NOW.plus(Duration.ofMinutes(40)), job.holdUntil());
        assertEquals(List.of(), failed.commands(), "the cluster stays");
        assertEquals("run exited with code 3; cluster cj-j1-1 kept for debugging until 2026-12-01T10:40:00Z"
                + " (keep_on_failure 30m)", job.statusReason());
        double ranCost = job.costUsd();

        clock.advance(Duration.ofMinutes(29));
        assertTrue(decider.onHoldOver(job).isEmpty(), "not before its time");
        clock.advance(Duration.ofMinutes(1));
        Decision over = decider.onHoldOver(job);

        ManagedJob after = over.resultingJob(job);
        assertNull(after.holdUntil());
        assertEquals(FAILED, after.status(), "not a status change");
        assertTrue(over.transitions().isEmpty());
        assertEquals(ranCost + 2 * job.placement().pricePerHour() / 2, after.costUsd(), 1e-9,
                "30 minutes of both nodes held are billed");
        TerminateCluster terminate = assertInstanceOf(TerminateCluster.class, over.commands().get(0));
        assertEquals("cj-j1-1", terminate.clusterName());
        assertEquals("debug hold over (keep_on_failure 30m)", terminate.reason());
    }

    @Test
    void theOwnerReleasesTheHoldEarlyAndOnlyOnce() {
        ManagedJob running = running(THIRTY_MINUTES);
        ManagedJob job = decider.onJobExited(running, exit(running, RunPhase.SETUP, 2, null)).resultingJob(running);
        assertEquals(FAILED_SETUP, job.status());
        clock.advance(Duration.ofMinutes(5));

        Decision released = decider.onReleaseHoldRequested(job, new ReleaseHoldRequested("j1", "alice", clock.instant()));

        assertEquals("debug hold released by alice",
                assertInstanceOf(TerminateCluster.class, released.commands().get(0)).reason());
        ManagedJob after = released.resultingJob(job);
        assertNull(after.holdUntil());
        assertTrue(decider.onReleaseHoldRequested(after, new ReleaseHoldRequested("j1", "alice", NOW)).isEmpty());
        assertTrue(decider.onHoldOver(after).isEmpty());
    }

    @Test
    void successACancelAndATaskWithoutTheFieldKeepNothing() {
        ManagedJob ok = running(THIRTY_MINUTES);
        Decision succeeded = decider.onJobExited(ok, exit(ok, RunPhase.RUN, 0, null));
        assertEquals(SUCCEEDED, succeeded.resultingJob(ok).status());
        assertNull(succeeded.resultingJob(ok).holdUntil());
        assertInstanceOf(TerminateCluster.class, succeeded.commands().get(0));

        ManagedJob cancelling = decider.onCancelRequested(running(THIRTY_MINUTES),
                new CancelRequested("j1", "alice", NOW)).resultingJob(null);
        assertNull(decider.onJobExited(cancelling, exit(cancelling, RunPhase.RUN, 1, null)).resultingJob(cancelling)
                .holdUntil(), "a cancel is tearing the cluster down already");

        ManagedJob plain = running(null);
        Decision failed = decider.onJobExited(plain, exit(plain, RunPhase.RUN, 1, null));
        assertNull(failed.resultingJob(plain).holdUntil());
        assertInstanceOf(TerminateCluster.class, failed.commands().get(0));
    }

    @Test
    void anExitWaitingForItsOutputLeavesTheClusterUpAndTheHoldCountsFromTheExit() {
        ManagedJob running = running(THIRTY_MINUTES);

        Decision held = wait.onJobExited(running, exit(running, RunPhase.RUN, 1, List.of(new OutputEnd(0, 10))),
                OutputHold.none(1));
        assertEquals(List.of(), held.commands(), "no terminate while the exit waits: the cluster is kept");
        OutputHoldChange.HoldExit change = assertInstanceOf(OutputHoldChange.HoldExit.class, held.outputHold());
        clock.advance(Duration.ofSeconds(3));

        Decision stored = wait.onOutputStored(running, new OutputStored("j1", 1, clock.instant()),
                new OutputHold(1, change.exit(), null));

        ManagedJob job = stored.resultingJob(running);
        assertEquals(FAILED, job.status());
        assertEquals(NOW.plus(Duration.ofMinutes(30)), job.holdUntil());
        assertEquals(List.of(), stored.commands());
    }

    @Test
    void aProvisionerRestartingDuringTheHoldDoesNotMakeTheHeldClusterAnOrphan() {
        ManagedJob running = running(THIRTY_MINUTES);
        ManagedJob job = decider.onJobExited(running, exit(running, RunPhase.RUN, 1, null)).resultingJob(running);

        ClusterFound held = ClusterFound.of("j1").attempt(1).clusterName("cj-j1-1").cloud("aws").region("us-east-1")
                .build();
        ClusterFound older = ClusterFound.of("j1").attempt(0).clusterName("cj-j1-0").cloud("aws").region("us-east-1")
                .build();

        assertNull(Decider.orphanReason(job, held));
        assertEquals("job is FAILED", Decider.orphanReason(job, older));
        ManagedJob released = decider.onReleaseHoldRequested(job, new ReleaseHoldRequested("j1", null, NOW))
                .resultingJob(job);
        assertEquals("job is FAILED", Decider.orphanReason(released, held));
    }

    @Test
    void aHungRunEndedAtItsTimeLimitKeepsItsClusterToo() {
        Resources r = Resources.builder().cloud("aws").region("us-east-1").instanceType("m6i.large")
                .maxDurationSeconds(600L).keepOnFailureSeconds(THIRTY_MINUTES).build();
        ManagedJob pending = ManagedJob.pending("j1", "hung", "alice", new TaskSpec("t", r, 1, Map.of(), null, "x"),
                NOW, NOW);
        ManagedJob starting = decider.onLaunchSlot(pending).resultingJob(pending);
        ManagedJob running = decider.onClusterProgress(starting, ClusterProgress.of("j1").attempt(1)
                .clusterName(starting.clusterName()).state(ClusterState.RUNNING).cloud("aws").region("us-east-1")
                .instanceIds(List.of("i-9")).at(NOW).build()).resultingJob(starting);
        clock.advance(Duration.ofSeconds(600 + 30 + 60 + 1));

        Decision d = decider.onRunOverdue(running);

        ManagedJob job = d.resultingJob(running);
        assertEquals(FAILED, job.status());
        assertEquals(clock.instant().plusSeconds(THIRTY_MINUTES), job.holdUntil());
        assertEquals(List.of(), d.commands(), "kept for debugging, not terminated");
        assertTrue(job.statusReason().endsWith("the node did not stop the task within 30s + 60s; cluster cj-j1-1 kept"
                + " for debugging until 2026-12-01T10:41:31Z (keep_on_failure 30m)"), job.statusReason());
    }
}

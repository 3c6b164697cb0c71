package io.crossjobs.controller.service;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.controller.model.Decision;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.OutputHold;
import io.crossjobs.controller.model.OutputHoldChange;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.JobRecovery;
import io.crossjobs.events.OutputEnd;
import io.crossjobs.events.OutputStored;
import io.crossjobs.events.Resources;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.events.TerminateCluster;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.crossjobs.events.JobStatus.CANCELLING;
import static io.crossjobs.events.JobStatus.FAILED;
import static io.crossjobs.events.JobStatus.RUNNING;
import static io.crossjobs.events.JobStatus.STARTING;
import static io.crossjobs.events.JobStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A terminal status waits for the output: both orders of exit and OutputStored, the bound, and what is not held. */
class OutputWaitTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Optimizer OPTIMIZER = new Optimizer(PriceCatalog.fromClasspath(List.of("catalog/aws.csv")));
    private static final Resources M6I = Resources.builder().cloud("aws").region("us-east-1")
            .instanceType("m6i.large").build();

    private final MovingClock clock = new MovingClock(NOW);
    private final Decider decider = new Decider(OPTIMIZER, 3, clock);
    private final OutputWait wait = new OutputWait(decider, PATIENCE, clock);

    @Test
    void anExitThatEndsTheJobWaitsForItsOutputAndTheClusterGoesAtOnce() {
        ManagedJob job = running(null);

        Decision held = wait.onJobExited(job, exit(job, 0), OutputHold.none(1));

        assertEquals(List.of(), held.transitions(), "no status yet");
        assertEquals("cj-j1-1", assertInstanceOf(TerminateCluster.class, held.commands().get(0)).clusterName());
        assertEquals(new OutputHoldChange.HoldExit(1, new OutputHold.HeldExit(RunPhase.RUN, 0, NOW, NOW.plus(PATIENCE))),
                held.outputHold());

        clock.advance(Duration.ofMillis(700));
        Decision stored = wait.onOutputStored(job, new OutputStored("j1", 1, clock.instant()), hold(held));

        ManagedJob done = stored.resultingJob(job);
        assertEquals(SUCCEEDED, done.status());
        assertEquals("run exited with code 0", done.statusReason());
        assertEquals(NOW, done.endedAt(), "it ended when it exited; the wait is not billed");
        assertEquals(List.of(), stored.commands(), "the cluster was terminated when the exit was held");
        assertEquals(new OutputHoldChange.End(1), stored.outputHold());
    }

    @Test
    void outputStoredBeforeTheExitArrivesLetsTheExitEndTheJobAtOnce() {
        ManagedJob job = running(null);

        Decision noted = wait.onOutputStored(job, new OutputStored("j1", 1, NOW), OutputHold.none(1));
        assertEquals(List.of(), noted.transitions());
        assertEquals(new OutputHoldChange.NoteStored(1, NOW), noted.outputHold());

        Decision exit = wait.onJobExited(job, exit(job, 3), new OutputHold(1, null, NOW));

        assertEquals(FAILED, exit.resultingJob(job).status());
        assertEquals(3, exit.resultingJob(job).exitCode());
        assertInstanceOf(TerminateCluster.class, exit.commands().get(0));
        assertEquals(new OutputHoldChange.End(1), exit.outputHold());
    }

    @Test
    void withoutOutputStoredTheJobEndsWhenTheWaitIsOverSayingItsOutputMayBeIncomplete() {
        ManagedJob job = running(null);
        OutputHold hold = hold(wait.onJobExited(job, exit(job, 3), OutputHold.none(1)));

        clock.advance(PATIENCE.minusSeconds(1));
        assertTrue(wait.onWaitOver(job, hold).transitions().isEmpty(), "not yet");

        clock.advance(Duration.ofSeconds(2));
        Decision over = wait.onWaitOver(job, hold);

        ManagedJob done = over.resultingJob(job);
        assertEquals(FAILED, done.status());
        assertEquals(3, done.exitCode());
        assertEquals("run exited with code 3; its output was not confirmed stored within 20s, so it may be incomplete",
                done.statusReason());
        assertEquals(List.of(), over.commands());
        assertEquals(new OutputHoldChange.End(1), over.outputHold());
    }

    @Test
    void whileTheExitIsHeldItsClusterGoingChangesNothingAndARepeatedExitIsNotHeldAgain() {
        ManagedJob job = running(null);
        OutputHold hold = hold(wait.onJobExited(job, exit(job, 0), OutputHold.none(1)));

        assertTrue(wait.onClusterProgress(job, progress(job, ClusterState.TERMINATED), hold).isEmpty(), "no recovery");
        assertTrue(wait.onClusterProgress(job, progress(job, ClusterState.PREEMPTED), hold).isEmpty());
        assertTrue(wait.onClusterPreempted(job, ClusterPreempted.of("j1").attempt(1).clusterName("cj-j1-1")
                .cloud("aws").region("us-east-1").zone("us-east-1a").message("spot").at(NOW).build(), hold).isEmpty());
        assertTrue(wait.onJobExited(job, exit(job, 0), hold).isEmpty(), "the provisioner reported it again");
        // without a hold, the same loss is a recovery
        assertEquals("startRecovery", wait.onClusterProgress(job, progress(job, ClusterState.TERMINATED),
                OutputHold.none(1)).transitions().get(0).name());
    }

    @Test
    void aRunThatExitsBeforeItsClusterIsSeenUpStillShowsRunningThenItsOutcome() {
        ManagedJob job = decider.onLaunchSlot(pending(null)).resultingJob(null);
        OutputHold hold = hold(wait.onJobExited(job, exit(job, 0), OutputHold.none(1)));

        ManagedJob running = wait.onClusterProgress(job, progress(job, ClusterState.RUNNING), hold).resultingJob(job);
        assertEquals(RUNNING, running.status());

        assertEquals(SUCCEEDED, wait.onOutputStored(running, new OutputStored("j1", 1, NOW), hold)
                .resultingJob(running).status());
        assertEquals(STARTING, job.status());
    }

    @Test
    void aCancelAskedWhileTheExitIsHeldKeepsTheRealOutcome() {
        ManagedJob job = running(null);
        OutputHold hold = hold(wait.onJobExited(job, exit(job, 0), OutputHold.none(1)));
        clock.advance(Duration.ofSeconds(1));
        ManagedJob cancelling = decider.onCancelRequested(job, new CancelRequested("j1", "alice", clock.instant()))
                .resultingJob(job);
        assertEquals(CANCELLING, cancelling.status());

        assertTrue(wait.onClusterProgress(cancelling, progress(cancelling, ClusterState.TERMINATED), hold).isEmpty(),
                "not CANCELLED: the run had finished");
        ManagedJob done = wait.onOutputStored(cancelling, new OutputStored("j1", 1, clock.instant()), hold)
                .resultingJob(cancelling);

        assertEquals(SUCCEEDED, done.status());
        assertEquals(cancelling.updatedAt(), done.endedAt(), "never before the job's last change");
    }

    @Test
    void exitsThatDoNotEndTheJobOrAnnounceNoOutputAreNotHeld() {
        ManagedJob restarting = running(new JobRecovery(null, 1, null));
        Decision restart = wait.onJobExited(restarting, exit(restarting, 7), OutputHold.none(1));
        assertEquals(List.of("restartAfterError", "relaunch"),
                restart.transitions().stream().map(Transition::name).toList());
        assertNull(restart.outputHold());

        ManagedJob job = running(null);
        Decision old = wait.onJobExited(job, new JobExited("j1", 1, "cj-j1-1", RunPhase.RUN, 0, NOW),
                OutputHold.none(1));
        assertEquals(SUCCEEDED, old.resultingJob(job).status(), "a provisioner that announces no output");
        assertNull(old.outputHold());
    }

    @Test
    void outputOfAnotherAttemptOrAHoldTheJobHasLeftChangesNothingButIsDropped() {
        ManagedJob job = running(null);
        assertTrue(wait.onOutputStored(job, new OutputStored("j1", 7, NOW), OutputHold.none(1)).isEmpty());

        OutputHold stale = new OutputHold(7, new OutputHold.HeldExit(RunPhase.RUN, 0, NOW, NOW), null);
        Decision dropped = wait.onWaitOver(job, stale);
        assertEquals(List.of(), dropped.transitions());
        assertEquals(new OutputHoldChange.End(7), dropped.outputHold());
    }

    /** The hold as the store would read it back after the decision that made it. */
    private static OutputHold hold(Decision held) {
        OutputHoldChange.HoldExit change = assertInstanceOf(OutputHoldChange.HoldExit.class, held.outputHold());
        return new OutputHold(change.attempt(), change.exit(), null);
    }

    private static ManagedJob pending(JobRecovery recovery) {
        Resources resources = recovery == null ? M6I : Resources.builder().cloud("aws").region("us-east-1")
                .instanceType("m6i.large").jobRecovery(recovery).build();
        TaskSpec task = new TaskSpec("hello", resources, 1, Map.of(), null, "echo hello");
        return ManagedJob.pending("j1", "hello", "alice", task, NOW, NOW);
    }

    private ManagedJob running(JobRecovery recovery) {
        ManagedJob job = decider.onLaunchSlot(pending(recovery)).resultingJob(null);
        return decider.onClusterProgress(job, progress(job, ClusterState.RUNNING)).resultingJob(job);
    }

    private static JobExited exit(ManagedJob job, int code) {
        return new JobExited(job.id(), job.attempt(), job.clusterName(), RunPhase.RUN, code, NOW,
                List.of(new OutputEnd(0, 42)));
    }

    private static ClusterProgress progress(ManagedJob job, ClusterState state) {
        return ClusterProgress.of(job.id()).attempt(job.attempt()).clusterName(job.clusterName()).state(state)
                .cloud("aws").region("us-east-1").zone("us-east-1a").instanceIds(List.of("i-1")).at(NOW).build();
    }
}

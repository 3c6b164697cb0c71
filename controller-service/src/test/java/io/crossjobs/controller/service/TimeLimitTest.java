package io.crossjobs.controller.service;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.controller.model.Decision;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.JobRecovery;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Resources;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.events.TimeLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.crossjobs.events.JobStatus.FAILED;
import static io.crossjobs.events.JobStatus.RUNNING;
import static io.crossjobs.events.JobStatus.STARTING;
import static io.crossjobs.events.JobStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code resources.max_duration}: counted while RUNNING, across attempts unless reset, enforced on the node and here. */
class TimeLimitTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Optimizer OPTIMIZER = new Optimizer(PriceCatalog.fromClasspath(List.of("catalog/aws.csv")));
    private static final long TWO_HOURS = 7200;

    private final MovingClock clock = new MovingClock(NOW);
    private final Decider decider = new Decider(OPTIMIZER, 3, clock);

    private static Resources limited(long seconds, JobRecovery recovery) {
        return Resources.builder().cloud("aws").instanceType("m6i.large").maxDurationSeconds(seconds)
                .jobRecovery(recovery).build();
    }

    private static ManagedJob pending(Resources... tasks) {
        List<TaskSpec> specs = java.util.Arrays.stream(tasks)
                .map(r -> new TaskSpec("t", r, 1, Map.of(), null, "python train.py")).toList();
        return ManagedJob.pending("j1", "train", "alice", specs, 500, NOW, NOW);
    }

    private Decision launch(ManagedJob pending) {
        return decider.onLaunchSlot(pending);
    }

    private ManagedJob up(ManagedJob starting) {
        return decider.onClusterProgress(starting, progress(starting, ClusterState.RUNNING)).resultingJob(starting);
    }

    private static ClusterProgress progress(ManagedJob job, ClusterState state) {
        return ClusterProgress.of(job.id()).attempt(job.attempt()).clusterName(job.clusterName()).state(state)
                .cloud("aws").region(job.placement().region()).zone(job.placement().zone())
                .instanceIds(List.of("i-1")).at(NOW).build();
    }

    private static TimeLimit limitOf(Decision d) {
        return d.commands().stream().filter(LaunchCluster.class::isInstance).map(LaunchCluster.class::cast)
                .findFirst().orElseThrow().timeLimit();
    }

    private ManagedJob preempted(ManagedJob running, List<TimeLimit> limits) {
        Decision d = decider.onClusterPreempted(running, ClusterPreempted.of(running.id()).attempt(running.attempt())
                .clusterName(running.clusterName()).cloud("aws").region(running.placement().region())
                .zone(running.placement().zone()).message("spot reclaimed").at(clock.instant()).build());
        limits.add(limitOf(d));
        return d.resultingJob(running);
    }

    @Test
    void theLaunchCarriesTheWholeLimitAndRunningSaysWhenItEnds() {
        Decision d = launch(pending(limited(TWO_HOURS, null)));

        assertEquals(new TimeLimit(TWO_HOURS, TWO_HOURS, 30), limitOf(d));
        clock.advance(Duration.ofMinutes(3));
        ManagedJob running = up(d.resultingJob(null));

        assertEquals(RUNNING, running.status());
        assertTrue(running.statusReason().endsWith("is up; max_duration 2h: 2h left, until 2026-12-01T12:03:00Z"),
                running.statusReason());
        assertEquals(NOW.plus(Duration.ofMinutes(3)).plusSeconds(TWO_HOURS), running.runDeadline(),
                "counted from RUNNING: the 3 minutes of provisioning are not");
    }

    @Test
    void aTaskWithoutALimitLaunchesWithNone() {
        Decision d = launch(pending(Resources.builder().cloud("aws").instanceType("m6i.large").build()));

        assertNull(limitOf(d));
        assertNull(up(d.resultingJob(null)).runDeadline());
    }

    @Test
    void theNodesTimeLimitExitFailsTheJobNamingTheLimitAndIsNeverRestarted() {
        ManagedJob running = up(launch(pending(limited(TWO_HOURS, new JobRecovery(null, 5, List.of(124)))))
                .resultingJob(null));
        clock.advance(Duration.ofHours(2));

        Decision d = decider.onJobExited(running, new JobExited("j1", running.attempt(), running.clusterName(),
                RunPhase.TIME_LIMIT, 124, clock.instant()));

        ManagedJob done = d.resultingJob(running);
        assertEquals(FAILED, done.status());
        assertEquals(FailureReason.MAX_DURATION_REACHED, done.failureReason());
        assertEquals(124, done.exitCode());
        assertEquals("max_duration 2h reached (2h RUNNING); the node stopped the task (status 124)",
                done.statusReason());
        assertInstanceOf(TerminateCluster.class, d.commands().get(0));
        assertEquals(1, d.commands().size(), "not restarted, though 124 is in recover_on_exit_codes");
        assertNull(done.runDeadline());
    }

    @Test
    void recoveriesDoNotResetTheLimit() {
        List<TimeLimit> limits = new java.util.ArrayList<>();
        ManagedJob running = up(launch(pending(limited(TWO_HOURS, null))).resultingJob(null));
        clock.advance(Duration.ofMinutes(50));
        ManagedJob recovering = preempted(running, limits);

        assertEquals(new TimeLimit(TWO_HOURS, TWO_HOURS - 50 * 60, 30), limits.get(0));
        assertEquals(50 * 60_000, recovering.taskRanMillis());
        clock.advance(Duration.ofMinutes(4));
        ManagedJob again = up(recovering);
        assertTrue(again.statusReason().endsWith("max_duration 2h: 1h10m left, until 2026-12-01T12:04:00Z"),
                again.statusReason());
        assertEquals(clock.instant().plus(Duration.ofMinutes(70)), again.runDeadline());

        clock.advance(Duration.ofMinutes(70));
        ManagedJob done = decider.onJobExited(again, new JobExited("j1", again.attempt(), again.clusterName(),
                RunPhase.TIME_LIMIT, 124, clock.instant())).resultingJob(again);
        assertEquals("max_duration 2h reached (2h RUNNING, 50m of it on earlier attempts); the node stopped the task"
                + " (status 124)", done.statusReason());
    }

    @Test
    void aRecoveryResetsTheLimitWhenTheTaskSaysSo() {
        List<TimeLimit> limits = new java.util.ArrayList<>();
        JobRecovery resets = new JobRecovery(null, 0, List.of(), true);
        ManagedJob running = up(launch(pending(limited(TWO_HOURS, resets))).resultingJob(null));
        clock.advance(Duration.ofMinutes(50));

        ManagedJob recovering = preempted(running, limits);

        assertEquals(new TimeLimit(TWO_HOURS, TWO_HOURS, 30), limits.get(0));
        assertEquals(0, recovering.taskRanMillis());
    }

    @Test
    void eachPipelineTaskHasItsOwnLimit() {
        ManagedJob running = up(launch(pending(limited(600, null), limited(TWO_HOURS, null))).resultingJob(null));
        clock.advance(Duration.ofMinutes(8));

        Decision next = decider.onJobExited(running, new JobExited("j1", running.attempt(), running.clusterName(),
                RunPhase.RUN, 0, clock.instant()));

        ManagedJob second = next.resultingJob(running);
        assertEquals(STARTING, second.status());
        assertEquals(0, second.taskRanMillis());
        assertEquals(new TimeLimit(TWO_HOURS, TWO_HOURS, 30), limitOf(next));
    }

    @Test
    void aRunItsNodeDidNotStopIsEndedHereAfterTheGraceAndTheSlack() {
        ManagedJob running = up(launch(pending(limited(600, null))).resultingJob(null));

        clock.advance(Duration.ofSeconds(600 + 30 + 60));
        assertTrue(decider.onRunOverdue(running).isEmpty(), "not before the limit, the grace and the slack");
        clock.advance(Duration.ofSeconds(1));
        Decision d = decider.onRunOverdue(running);

        ManagedJob done = d.resultingJob(running);
        assertEquals(FAILED, done.status());
        assertEquals(FailureReason.MAX_DURATION_REACHED, done.failureReason());
        assertNull(done.exitCode());
        assertEquals("max_duration 10m reached (11m31s RUNNING); the node did not stop the task within 30s + 60s, so"
                + " its cluster is terminated", done.statusReason());
        assertEquals(running.clusterName(), assertInstanceOf(TerminateCluster.class, d.commands().get(0)).clusterName());
    }

    @Test
    void aRunThatEndsInTimeSucceeds() {
        ManagedJob running = up(launch(pending(limited(600, null))).resultingJob(null));
        clock.advance(Duration.ofMinutes(9));

        ManagedJob done = decider.onJobExited(running, new JobExited("j1", running.attempt(), running.clusterName(),
                RunPhase.RUN, 0, clock.instant())).resultingJob(running);

        assertEquals(SUCCEEDED, done.status());
        assertTrue(decider.onRunOverdue(done).isEmpty());
    }
}

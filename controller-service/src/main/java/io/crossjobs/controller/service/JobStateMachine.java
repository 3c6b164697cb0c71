package io.crossjobs.controller.service;

import io.crossjobs.catalog.BlockedScope;
import io.crossjobs.controller.model.HoldRelease;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.Placement;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static io.crossjobs.events.JobStatus.CANCELLED;
import static io.crossjobs.events.JobStatus.CANCELLING;
import static io.crossjobs.events.JobStatus.FAILED;
import static io.crossjobs.events.JobStatus.FAILED_CONTROLLER;
import static io.crossjobs.events.JobStatus.FAILED_NO_RESOURCE;
import static io.crossjobs.events.JobStatus.FAILED_PRECHECKS;
import static io.crossjobs.events.JobStatus.FAILED_SETUP;
import static io.crossjobs.events.JobStatus.PENDING;
import static io.crossjobs.events.JobStatus.RECOVERING;
import static io.crossjobs.events.JobStatus.RUNNING;
import static io.crossjobs.events.JobStatus.STARTING;
import static io.crossjobs.events.JobStatus.SUCCEEDED;

/**
 * The managed-job state machine: one named transition per legal move, each with the statuses it may start
 * from (its guard). A method computes the job after the move; the repository writes it with
 * {@code where status in (guard) and attempt = before.attempt}, so a replayed or raced event changes nothing.
 * <pre>
 *   transition          from (its guard)                      to
 *   startLaunch         PENDING                               STARTING (attempt + 1)
 *   relaunch            STARTING, RECOVERING                  STARTING (attempt + 1)
 *   backOff             STARTING, RECOVERING                  PENDING (until next_attempt_at)
 *   markRunning         STARTING, RECOVERING                  RUNNING
 *   startNextTask       STARTING, RUNNING                     STARTING (a pipeline's next task)
 *   startRecovery       RUNNING                               RECOVERING (the cluster was lost)
 *   restartAfterError   STARTING, RUNNING                     RECOVERING (the run failed; restarts left)
 *   markSucceeded, markFailed, markFailedSetup, markTimedOut
 *                       STARTING, RUNNING, RECOVERING,        SUCCEEDED, FAILED, FAILED_SETUP, FAILED
 *                       CANCELLING
 *   failPrechecks       PENDING, STARTING, RECOVERING         FAILED_PRECHECKS
 *   failNoResource      PENDING, STARTING, RECOVERING,        FAILED_NO_RESOURCE
 *                       RUNNING
 *   requestCancel       STARTING, RUNNING, RECOVERING         CANCELLING
 *   markCancelled       PENDING, CANCELLING                   CANCELLED
 *   failController      PENDING, STARTING, RUNNING,           FAILED_CONTROLLER (an event of the job was parked)
 *                       RECOVERING
 * </pre>
 */
public final class JobStateMachine {
    static final Set<JobStatus> LAUNCHABLE = EnumSet.of(PENDING);
    static final Set<JobStatus> RELAUNCHABLE = EnumSet.of(STARTING, RECOVERING);
    static final Set<JobStatus> COMING_UP = EnumSet.of(STARTING, RECOVERING);
    /** A cluster may exist and run the task; a job exiting while CANCELLING keeps its real outcome. */
    static final Set<JobStatus> MAY_EXIT = EnumSet.of(STARTING, RUNNING, RECOVERING, CANCELLING);
    static final Set<JobStatus> PRECHECKABLE = EnumSet.of(PENDING, STARTING, RECOVERING);
    static final Set<JobStatus> RECOVERABLE = EnumSet.of(RUNNING);
    /** The run exited non-zero on a cluster of the current attempt (it may exit before its RUNNING is seen). */
    static final Set<JobStatus> RESTARTABLE = EnumSet.of(STARTING, RUNNING);
    /** Retries used up, or no placement left: while launching, recovering, or between pipeline tasks. */
    static final Set<JobStatus> MAY_RUN_OUT = EnumSet.of(PENDING, STARTING, RECOVERING, RUNNING);
    static final Set<JobStatus> CANCELLABLE_WITH_CLUSTER = EnumSet.of(STARTING, RUNNING, RECOVERING);
    static final Set<JobStatus> CANCELLABLE_NOW = EnumSet.of(PENDING, CANCELLING);
    /** Live and not already being cancelled: a cancel in progress ends the job anyway. */
    static final Set<JobStatus> MAY_FAIL_IN_CONTROLLER = EnumSet.of(PENDING, STARTING, RUNNING, RECOVERING);

    private JobStateMachine() { }

    /** PENDING → STARTING, the next attempt on the chosen placement: the job got a launch slot. */
    public static Transition startLaunch(ManagedJob job, Placement placement, String reason, Instant now) {
        return move("startLaunch", LAUNCHABLE, job, reason, b -> {
            b.status = STARTING;
            b.nextAttemptAt = null;
            if (b.launchStartedAt == null) b.launchStartedAt = now;
            b.attempt = job.attempt() + 1;
            b.clusterName = job.clusterNameFor(b.attempt);
            b.placement = placement;
            b.updatedAt = now;
        });
    }

    /** STARTING|RECOVERING → STARTING, the next attempt elsewhere after a failed launch or a lost cluster. */
    public static Transition relaunch(ManagedJob job, Placement placement, List<BlockedScope> blocklist,
                                      int failedLaunches, String reason, Instant now) {
        return move("relaunch", RELAUNCHABLE, job, reason, b -> {
            b.status = STARTING;
            b.attempt = job.attempt() + 1;
            b.clusterName = job.clusterNameFor(b.attempt);
            b.placement = placement;
            b.blocklist = blocklist;
            b.failedLaunches = failedLaunches;
            b.updatedAt = now;
        });
    }

    /**
     * STARTING|RECOVERING → PENDING: the launch failed; the job waits for its backoff to pass, then for a launch
     * slot, and is launched again avoiding {@code blocklist}.
     */
    public static Transition backOff(ManagedJob job, List<BlockedScope> blocklist, int failedLaunches,
                                     Instant nextAttemptAt, String reason, Instant now) {
        return move("backOff", RELAUNCHABLE, job, reason, b -> {
            b.status = PENDING;
            b.blocklist = blocklist;
            b.failedLaunches = failedLaunches;
            b.nextAttemptAt = nextAttemptAt;
            if (b.launchStartedAt == null) b.launchStartedAt = now;
            b.updatedAt = now;
        });
    }

    /** STARTING|RECOVERING → RUNNING: the cluster is up on {@code instanceIds}; the launch episode is over. */
    public static Transition markRunning(ManagedJob job, List<String> instanceIds, String reason, Instant now) {
        return move("markRunning", COMING_UP, job, reason, b -> {
            b.status = RUNNING;
            b.instanceIds = instanceIds;
            b.failedLaunches = 0;
            b.launchStartedAt = null;
            if (b.startedAt == null) b.startedAt = now;
            b.updatedAt = now;
        });
    }

    /**
     * STARTING|RUNNING → STARTING: the pipeline's task succeeded and the next one launches on its own cluster
     * (next attempt number, so cluster names never repeat); the launch policy's memory starts afresh.
     */
    public static Transition startNextTask(ManagedJob job, Placement placement, String reason, Instant now) {
        return move("startNextTask", RESTARTABLE, job, reason, b -> {
            b.taskIndex = job.taskIndex() + 1;
            b.status = STARTING;
            b.attempt = job.attempt() + 1;
            b.clusterName = job.clusterNameFor(b.attempt);
            b.placement = placement;
            b.blocklist = List.of();
            b.failedLaunches = 0;
            b.launchStartedAt = now;
            b.exitCode = null;
            b.updatedAt = now;
        });
    }

    public static Transition markSucceeded(ManagedJob job, String reason, Instant now) {
        return finish("markSucceeded", job, SUCCEEDED, null, 0, reason, now);
    }

    public static Transition markFailed(ManagedJob job, int exitCode, String reason, Instant now) {
        return finish("markFailed", job, FAILED, FailureReason.USER_CODE_FAILED, exitCode, reason, now);
    }

    /** → FAILED (MAX_DURATION_REACHED): the task's time limit ran out and it was stopped. */
    public static Transition markTimedOut(ManagedJob job, Integer exitCode, String reason, Instant now) {
        return finish("markTimedOut", job, FAILED, FailureReason.MAX_DURATION_REACHED, exitCode, reason, now);
    }

    public static Transition markFailedSetup(ManagedJob job, int exitCode, String reason, Instant now) {
        return finish("markFailedSetup", job, FAILED_SETUP, FailureReason.SETUP_FAILED, exitCode, reason, now);
    }

    /** → FAILED_PRECHECKS: nothing can satisfy the task, or a cloud refused in a way no retry fixes. */
    public static Transition failPrechecks(ManagedJob job, FailureReason failure, String reason, Instant now) {
        return move("failPrechecks", PRECHECKABLE, job, reason, b -> {
            b.status = FAILED_PRECHECKS;
            b.failureReason = failure;
            b.endedAt = now;
            b.updatedAt = now;
        });
    }

    /** PENDING|STARTING|RECOVERING|RUNNING → FAILED_NO_RESOURCE: retries used up, or no placement left. */
    public static Transition failNoResource(ManagedJob job, FailureReason failure, List<BlockedScope> blocklist,
                                            int failedLaunches, String reason, Instant now) {
        return move("failNoResource", MAY_RUN_OUT, job, reason, b -> {
            b.status = FAILED_NO_RESOURCE;
            b.failureReason = failure;
            b.blocklist = blocklist;
            b.failedLaunches = failedLaunches;
            b.endedAt = now;
            b.updatedAt = now;
        });
    }

    /** RUNNING → RECOVERING: the cluster was lost; a new launch episode starts with a fresh blocklist. */
    public static Transition startRecovery(ManagedJob job, List<BlockedScope> blocklist, String reason, Instant now) {
        return move("startRecovery", RECOVERABLE, job, reason, b -> {
            b.status = RECOVERING;
            b.recoveryCount = job.recoveryCount() + 1;
            b.blocklist = blocklist;
            b.failedLaunches = 0;
            b.launchStartedAt = now;
            b.updatedAt = now;
        });
    }

    /**
     * STARTING|RUNNING → RECOVERING: the run exited non-zero and the recovery policy restarts it. A restart within
     * {@code max_restarts_on_errors} counts as a restart; one for a {@code recover_on_exit_codes} code counts as a
     * recovery instead, so it never uses up the restart limit.
     */
    public static Transition restartAfterError(ManagedJob job, boolean countedAsRestart, String reason, Instant now) {
        return move("restartAfterError", RESTARTABLE, job, reason, b -> {
            b.status = RECOVERING;
            if (countedAsRestart) b.restartCount = job.restartCount() + 1;
            else b.recoveryCount = job.recoveryCount() + 1;
            b.blocklist = List.of();
            b.failedLaunches = 0;
            b.launchStartedAt = now;
            b.updatedAt = now;
        });
    }

    /** STARTING|RUNNING|RECOVERING → CANCELLING: the cluster is being torn down. */
    public static Transition requestCancel(ManagedJob job, String reason, Instant now) {
        return move("requestCancel", CANCELLABLE_WITH_CLUSTER, job, reason, b -> {
            b.status = CANCELLING;
            b.updatedAt = now;
        });
    }

    /** PENDING|CANCELLING → CANCELLED: no cluster (left) to wait for. */
    public static Transition markCancelled(ManagedJob job, String reason, Instant now) {
        return move("markCancelled", CANCELLABLE_NOW, job, reason, b -> {
            b.status = CANCELLED;
            b.endedAt = now;
            b.updatedAt = now;
        });
    }

    /**
     * → FAILED_CONTROLLER (CONTROLLER_ERROR): the controller could not handle one of the job's events, so what it
     * knows of the job can no longer be trusted.
     */
    public static Transition failController(ManagedJob job, String reason, Instant now) {
        return move("failController", MAY_FAIL_IN_CONTROLLER, job, reason, b -> {
            b.status = FAILED_CONTROLLER;
            b.failureReason = FailureReason.CONTROLLER_ERROR;
            b.endedAt = now;
            b.updatedAt = now;
        });
    }

    /**
     * The job ends as its exit says. A failure keeps its cluster for debugging until {@code now +
     * keep_on_failure} when the task asks for it (not while a cancel is tearing the cluster down already).
     */
    private static Transition finish(String name, ManagedJob job, JobStatus to, FailureReason failure, Integer exitCode,
                                     String reason, Instant now) {
        return move(name, MAY_EXIT, job, reason, b -> {
            b.status = to;
            b.failureReason = failure;
            b.exitCode = exitCode;
            b.endedAt = now;
            b.updatedAt = now;
            if (to != SUCCEEDED) b.holdUntil = job.holdUntilIfFailedAt(now);
        });
    }

    /**
     * A failed job's debug hold ends (its time is up, or its owner released it): not a status change. The cluster's
     * time since the job ended is billed at the placement's price.
     */
    public static HoldRelease releaseHold(ManagedJob job, String reason, Instant now) {
        if (job.holdUntil() == null || !job.status().isTerminal()) {
            throw new IllegalStateException("job=" + job.id() + " has no debug hold to release");
        }
        ManagedJob after = job.with(b -> {
            b.holdUntil = null;
            Instant from = job.endedAt() == null ? now : job.endedAt();
            if (job.placement() != null && now.isAfter(from)) {
                b.costUsd = job.costUsd() + job.clusterPricePerHour() * Duration.between(from, now).toMillis()
                        / 3_600_000d;
            }
        });
        return new HoldRelease(after, reason);
    }

    /**
     * A cluster is billed while its job is RUNNING on it: the time since {@code billedSince} is added to the job's
     * cost when it stops running (finished, lost, restarted, next task, cancelled) at the placement's price times its
     * nodes. The same
     * time counts against the task's {@code max_duration}: added to {@code taskRanMillis}, which starts afresh with
     * each task, and with each recovery or restart when the task's recovery resets the limit; while the job runs,
     * {@code runDeadline} is when what is left of the limit runs out.
     */
    private static void account(ManagedJob before, ManagedJob.Builder b) {
        Instant now = b.updatedAt;
        boolean stillOnSameCluster = b.status == RUNNING && b.attempt == before.attempt();
        if (before.billedSince() != null && !stillOnSameCluster) {
            b.costUsd = before.costSoFar(now);
            b.taskRanMillis = before.taskRanMillis(now);
            b.billedSince = null;
        }
        boolean recoveryResets = b.status == RECOVERING && before.status() != RECOVERING
                && Decider.recoveryOf(before).resetMaxDuration();
        if (b.taskIndex != before.taskIndex() || recoveryResets) b.taskRanMillis = 0;
        if (b.status == RUNNING && b.billedSince == null) b.billedSince = now;
        if (b.attempt != before.attempt()) b.instanceIds = List.of();
        Long limit = b.status == RUNNING ? b.build().maxDurationSeconds() : null;
        b.runDeadline = limit == null ? null : b.billedSince.plusMillis(limit * 1000 - b.taskRanMillis);
    }

    private static Transition move(String name, Set<JobStatus> guard, ManagedJob job, String reason,
                                   Consumer<ManagedJob.Builder> changes) {
        if (!guard.contains(job.status())) {
            // the Decider only asks for legal moves; reaching this is a bug in it, not a replayed event
            throw new IllegalStateException(name + " is not allowed from " + job.status() + " (job=" + job.id() + ")");
        }
        ManagedJob after = job.with(b -> {
            changes.accept(b);
            b.statusReason = reason;
            account(job, b);
        });
        return new Transition(name, guard, job, after, reason);
    }
}

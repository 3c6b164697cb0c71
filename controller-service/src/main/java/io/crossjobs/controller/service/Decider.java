package io.crossjobs.controller.service;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.BlockedScope;
import io.crossjobs.controller.model.Decision;
import io.crossjobs.controller.model.LaunchesInFlight;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.catalog.PlacementPlan;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.ClusterFound;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.JobRecovery;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.Placement;
import io.crossjobs.events.ReleaseHoldRequested;
import io.crossjobs.events.Resources;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.events.TimeLimit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Maps (job, event) to a {@link Decision}: which named transitions to apply and which commands to send.
 * Pure: no database, no Kafka, the time from a {@link Clock}; the managed-job policy lives here (failover on launch
 * failure, EAGER_NEXT_REGION recovery, cancel) and is unit-tested as such; {@link OutputWait}, around it, holds an
 * exit's terminal outcome until the attempt's output is stored.
 * Events about another attempt than the job's current one, or about a finished job, change nothing.
 */
public final class Decider {
    /** FAILOVER: failed launches in the lost cluster's region before a recovering job may go anywhere. */
    static final int FAILOVER_SAME_REGION_TRIES = 3;

    private final Optimizer optimizer;
    private final int maxLaunchAttempts;
    private final LaunchBackoff backoff;
    private final LaunchCapacity capacity;
    private final TimeLimits timeLimits;
    private final Clock clock;

    public Decider(Optimizer optimizer, int maxLaunchAttempts, LaunchBackoff backoff, LaunchCapacity capacity,
                   TimeLimits timeLimits, Clock clock) {
        if (maxLaunchAttempts < 1) throw new IllegalArgumentException("maxLaunchAttempts must be at least 1");
        this.optimizer = optimizer;
        this.maxLaunchAttempts = maxLaunchAttempts;
        this.backoff = backoff;
        this.capacity = capacity;
        this.timeLimits = timeLimits;
        this.clock = clock;
    }

    /**
     * With the default backoff (10 s doubling up to 5 min), launch timeout (30 min), launch capacity (the clouds'
     * documented rates over 20 s) and time-limit grace (30 s).
     */
    public Decider(Optimizer optimizer, int maxLaunchAttempts, Clock clock) {
        this(optimizer, maxLaunchAttempts, LaunchBackoff.DEFAULT, LaunchCapacity.DOCUMENTED, TimeLimits.DEFAULT, clock);
    }

    /**
     * A job just inserted as PENDING: fail its prechecks if no task of it can ever run (so a pipeline whose third
     * task is infeasible does not run its first two for nothing); otherwise it waits for a launch slot.
     */
    public Decision onSubmitted(ManagedJob job) {
        if (job.status() != JobStatus.PENDING) return Decision.ignore("job is " + job.status() + ", not PENDING");
        String infeasible = precheck(job);
        if (infeasible != null) {
            return Decision.of(List.of(JobStateMachine.failPrechecks(job, FailureReason.NO_FEASIBLE_RESOURCE,
                    infeasible, clock.instant())), List.of());
        }
        return Decision.ignore("waiting for a launch slot");
    }

    /** Null if every task has a feasible placement, else why not. */
    private String precheck(ManagedJob job) {
        if (job.task() == null) return "the job has no task";
        for (int i = job.taskIndex(); i < job.tasks().size(); i++) {
            PlacementPlan plan = optimizer.plan(job.tasks().get(i).resources(), List.of());
            if (!plan.feasible()) {
                return (job.taskCount() > 1 ? "task " + (i + 1) + " of " + job.taskCount() + ": " : "") + plan.reason();
            }
        }
        return null;
    }

    /** {@link #onLaunchSlot(ManagedJob, LaunchesInFlight)} with no launch in flight anywhere. */
    public Decision onLaunchSlot(ManagedJob job) {
        return onLaunchSlot(job, LaunchesInFlight.none());
    }

    /**
     * A PENDING job whose backoff is over got a launch slot: launch it on the cheapest open placement whose region
     * has launch capacity left ({@code inFlight} there below its {@link LaunchCapacity}), saying which full regions
     * it passed over; when every candidate's region is full it waits PENDING. It gives up when its launch time limit
     * passed or nothing is left to try.
     */
    public Decision onLaunchSlot(ManagedJob job, LaunchesInFlight inFlight) {
        if (job.status() != JobStatus.PENDING) return Decision.ignore("job is " + job.status() + ", not PENDING");
        Instant now = clock.instant();
        if (job.attempt() == 0) {
            String infeasible = precheck(job);
            if (infeasible != null) {
                return Decision.of(List.of(JobStateMachine.failPrechecks(job, FailureReason.NO_FEASIBLE_RESOURCE,
                        infeasible, now)), List.of());
            }
        }
        String timedOut = timedOut(job, now);
        if (timedOut != null) {
            return Decision.of(List.of(JobStateMachine.failNoResource(job, failureOf(job), job.blocklist(),
                    job.failedLaunches(), timedOut + ", tried: " + BlockedScope.describeAll(job.blocklist()), now)), List.of());
        }
        PlacementPlan plan = choosePlacement(job, job.blocklist(), job.failedLaunches());
        if (!plan.feasible()) {
            return Decision.of(List.of(JobStateMachine.failNoResource(job, failureOf(job), job.blocklist(),
                    job.failedLaunches(), "no placement left: " + plan.reason(), now)), List.of());
        }
        LaunchChoice choice = capacity.choose(plan.candidates(), inFlight);
        if (choice.waits()) return Decision.ignore("waiting for launch capacity: " + choice.describeFull());
        String why = job.attempt() == 0 ? "" : "after " + job.failedLaunches() + " failed launch(es), attempt "
                + (job.attempt() + 1) + " on ";
        String costlier = choice.passedOver().isEmpty() ? ""
                : "; " + choice.describeFull() + ", so on " + Optimizer.describe(choice.placement());
        Transition start = JobStateMachine.startLaunch(job, choice.placement(),
                taskPrefix(job) + why + plan.reason() + costlier, now);
        return Decision.of(List.of(start), List.of(launch(start.after())));
    }

    /**
     * A job still RUNNING past its time limit by more than the node's grace and {@link TimeLimits#slack()}: its node
     * did not stop it (hung, unreachable, or its clock far off), so the job ends FAILED (MAX_DURATION_REACHED) and its
     * cluster is terminated, or kept for debugging when the task asks for that.
     */
    public Decision onRunOverdue(ManagedJob job) {
        Instant now = clock.instant();
        if (job.status() != JobStatus.RUNNING || !timeLimits.overdue(job, now)) {
            return Decision.ignore("job is " + job.status() + ", not running past its time limit");
        }
        String why = limitReached(job, now) + "; the node did not stop the task within " + timeLimits.grace().toSeconds()
                + "s + " + timeLimits.slack().toSeconds() + "s";
        String kept = holdNote(job, now);
        Transition end = JobStateMachine.markTimedOut(job, null, taskPrefix(job) + why
                + (kept.isEmpty() ? ", so its cluster is terminated" : "") + skipped(job) + kept, now);
        return Decision.of(List.of(end), kept.isEmpty() ? List.of(terminate(job, why)) : List.of());
    }

    /** {@code max_duration 2h reached (2h RUNNING, 35m of it on earlier attempts)}. */
    private static String limitReached(ManagedJob job, Instant at) {
        long limit = job.maxDurationSeconds() == null ? 0 : job.maxDurationSeconds();
        long ran = job.taskRanMillis(at) / 1000;
        long before = job.taskRanMillis() / 1000;
        return "max_duration " + TimeLimit.text(limit) + " reached (" + TimeLimit.text(ran) + " RUNNING"
                + (before > 0 ? ", " + TimeLimit.text(before) + " of it on earlier attempts" : "") + ")";
    }

    /** {@code ; max_duration 2h: 1h25m left, until 2026-12-06T14:05:00Z} for a task with a time limit. */
    private static String timeLeft(ManagedJob job, Instant now) {
        Long limit = job.maxDurationSeconds();
        if (limit == null) return "";
        long left = Math.max(0, limit - job.taskRanMillis() / 1000);
        return "; max_duration " + TimeLimit.text(limit) + ": " + TimeLimit.text(left) + " left, until "
                + now.plusSeconds(left).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * A launch in flight past the launch time limit (the provisioner never reported): it gives its slot back —
     * FAILED_NO_RESOURCE, and its cluster, if any was made, is terminated.
     */
    public Decision onLaunchOverdue(ManagedJob job) {
        if (job.status() != JobStatus.STARTING) return Decision.ignore("job is " + job.status() + ", not STARTING");
        Instant now = clock.instant();
        String timedOut = timedOut(job, now);
        if (timedOut == null) return Decision.ignore("launch still within its time limit");
        String why = "attempt " + job.attempt() + " never came up: " + timedOut;
        return Decision.of(List.of(JobStateMachine.failNoResource(job, failureOf(job), job.blocklist(),
                job.failedLaunches(), why + (job.blocklist().isEmpty() ? ""
                        : ", tried: " + BlockedScope.describeAll(job.blocklist())), now)),
                List.of(terminate(job, why)));
    }

    private String timedOut(ManagedJob job, Instant now) {
        if (job.launchStartedAt() == null) return null;
        java.time.Duration spent = java.time.Duration.between(job.launchStartedAt(), now);
        return spent.compareTo(backoff.launchTimeout()) > 0
                ? "launch time limit " + backoff.launchTimeout() + " passed (" + spent.toSeconds() + "s since the first launch)"
                : null;
    }

    private static FailureReason failureOf(ManagedJob job) {
        return job.recoveryCount() > 0 ? FailureReason.CLUSTER_LOST : FailureReason.LAUNCH_RETRIES_EXHAUSTED;
    }

    /** FAILOVER keeps a recovering job in its last region for a few tries before it looks anywhere else. */
    private PlacementPlan choosePlacement(ManagedJob job, List<BlockedScope> blocklist, int failedLaunches) {
        Placement last = job.placement();
        if (failover(job) && job.recoveryCount() > 0 && failedLaunches < FAILOVER_SAME_REGION_TRIES && last != null) {
            PlacementPlan sameRegion = optimizer.plan(inRegion(job.task().resources(), last.cloud(), last.region()),
                    blocklist);
            if (sameRegion.feasible()) return sameRegion;
        }
        return optimizer.plan(job.task().resources(), blocklist);
    }

    /** {@code task 2 of 3: } for a pipeline, nothing for a plain job. */
    static String taskPrefix(ManagedJob job) {
        return job.taskCount() > 1 ? "task " + (job.taskIndex() + 1) + " of " + job.taskCount() + ": " : "";
    }

    public Decision onCancelRequested(ManagedJob job, CancelRequested event) {
        Instant now = clock.instant();
        String by = event.requestedBy() == null ? "" : " by " + event.requestedBy();
        return switch (job.status()) {
            case PENDING -> Decision.of(List.of(JobStateMachine.markCancelled(job, "cancelled" + by, now)), List.of());
            case STARTING, RUNNING, RECOVERING -> Decision.of(
                    List.of(JobStateMachine.requestCancel(job, "cancel requested" + by, now)),
                    List.of(terminate(job, "cancel requested" + by)));
            default -> Decision.ignore("job is " + job.status() + ", nothing to cancel");
        };
    }

    /**
     * One of the job's events could not be handled and was parked ({@code parked} says which and why): the job
     * fails as FAILED_CONTROLLER and its cluster, if it may have one, is terminated. A job being cancelled or
     * finished is left to that.
     */
    public Decision onEventParked(ManagedJob job, String parked) {
        if (!JobStateMachine.MAY_FAIL_IN_CONTROLLER.contains(job.status())) {
            return Decision.ignore("job is " + job.status() + "; the parked event changes nothing");
        }
        String reason = "controller error: " + parked;
        Transition fail = JobStateMachine.failController(job, reason, clock.instant());
        boolean mayHaveCluster = job.status() != JobStatus.PENDING && job.clusterName() != null;
        return Decision.of(List.of(fail), mayHaveCluster ? List.of(terminate(job, reason)) : List.of());
    }

    public Decision onClusterProgress(ManagedJob job, ClusterProgress event) {
        String stale = staleness(job, event.attempt());
        if (stale != null) return Decision.ignore(stale);
        Instant now = clock.instant();
        return switch (event.state()) {
            case RUNNING -> JobStateMachine.COMING_UP.contains(job.status())
                    ? Decision.of(List.of(JobStateMachine.markRunning(job, event.instanceIds(),
                            "cluster " + job.clusterName() + " is up" + timeLeft(job, now), now)), List.of())
                    : Decision.ignore("cluster is up, job is already " + job.status());
            case TERMINATED -> job.status() == JobStatus.CANCELLING
                    ? Decision.of(List.of(JobStateMachine.markCancelled(job,
                            "cancelled: cluster " + job.clusterName() + " terminated", now)), List.of())
                    : clusterLost(job, event.cloud(), event.region(), event.zone(),
                            "terminated outside crossjobs" + suffix(event.message()));
            case PREEMPTED -> clusterLost(job, event.cloud(), event.region(), event.zone(),
                    "preempted" + suffix(event.message()));
            case PROVISIONING, TERMINATING -> Decision.ignore("cluster is " + event.state());
        };
    }

    /**
     * The current attempt's setup or run exited, decided at once. A terminal outcome whose output is still on its way
     * is held first by {@link OutputWait}, which calls {@link #onExit} when the output is stored.
     */
    public Decision onJobExited(ManagedJob job, JobExited event) {
        String stale = staleness(job, event.attempt());
        if (stale != null) return Decision.ignore(stale);
        return onExit(job, event.phase(), event.exitCode(), "", clock.instant());
    }

    /**
     * The current attempt's setup or run exited with {@code code}: the job ends (its cluster terminated), restarts,
     * or goes on with its pipeline's next task, at {@code at}; {@code note} is added to the reason of an ending.
     */
    Decision onExit(ManagedJob job, RunPhase phase, int code, String note, Instant at) {
        if (job.status().isTerminal()) return Decision.ignore("job is already " + job.status());
        if (!JobStateMachine.MAY_EXIT.contains(job.status())) return Decision.ignore("job is " + job.status());
        if (phase == RunPhase.SETUP && code == 0) return Decision.ignore("setup succeeded");
        Transition end;
        if (phase == RunPhase.TIME_LIMIT) {
            end = JobStateMachine.markTimedOut(job, code, taskPrefix(job) + limitReached(job, at)
                    + "; the node stopped the task (status " + code + ")" + skipped(job) + note + holdNote(job, at), at);
        } else if (phase == RunPhase.SETUP) {
            end = JobStateMachine.markFailedSetup(job, code, taskPrefix(job) + "setup exited with code " + code
                    + skipped(job) + note + holdNote(job, at), at);
        } else if (code == 0 && !job.lastTask() && JobStateMachine.RESTARTABLE.contains(job.status())) {
            return nextTask(job, at);
        } else if (code == 0) {
            end = JobStateMachine.markSucceeded(job, taskPrefix(job) + "run exited with code 0" + note, at);
        } else if (JobStateMachine.RESTARTABLE.contains(job.status()) && restartAllowed(job, code)) {
            return restart(job, code, at);
        } else {
            end = JobStateMachine.markFailed(job, code, taskPrefix(job) + "run exited with code " + code + skipped(job)
                    + note + holdNote(job, at), at);
        }
        if (end.after().holdUntil() != null) return Decision.of(List.of(end), List.of());
        // while CANCELLING the cluster is already being torn down
        List<JobEvent> commands = job.status() == JobStatus.CANCELLING ? List.of()
                : List.of(terminate(job, "job " + end.to()));
        return Decision.of(List.of(end), commands);
    }

    /**
     * {@code ; cluster cj-7-1 kept for debugging until 2026-12-06T12:30:00Z (keep_on_failure 30m)} when the task keeps a
     * failed cluster ({@link ManagedJob#holdUntilIfFailedAt}, which {@link JobStateMachine} writes with the failure),
     * else nothing.
     */
    private static String holdNote(ManagedJob job, Instant at) {
        Instant until = job.holdUntilIfFailedAt(at);
        if (until == null) return "";
        return "; cluster " + job.clusterName() + " kept for debugging until "
                + until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (keep_on_failure "
                + TimeLimit.text(job.keepOnFailureSeconds()) + ")";
    }

    /** A failed job's debug hold whose time is up: its cluster is terminated. */
    public Decision onHoldOver(ManagedJob job) {
        Instant now = clock.instant();
        if (job.holdUntil() == null || !job.status().isTerminal()) return Decision.ignore("job " + job.id() + " holds no cluster");
        if (now.isBefore(job.holdUntil())) return Decision.ignore("the debug hold lasts until " + job.holdUntil());
        String why = "debug hold over (keep_on_failure " + TimeLimit.text(job.keepOnFailureSeconds() == null ? 0
                : job.keepOnFailureSeconds()) + ")";
        return Decision.releaseHold(JobStateMachine.releaseHold(job, why, now), List.of(terminate(job, why)));
    }

    /** The job's owner asked to end its debug hold now: its cluster is terminated. */
    public Decision onReleaseHoldRequested(ManagedJob job, ReleaseHoldRequested event) {
        if (job.holdUntil() == null || !job.status().isTerminal()) return Decision.ignore("job " + job.id() + " holds no cluster");
        String why = "debug hold released" + (event.requestedBy() == null ? "" : " by " + event.requestedBy());
        return Decision.releaseHold(JobStateMachine.releaseHold(job, why, clock.instant()), List.of(terminate(job, why)));
    }

    private static String skipped(ManagedJob job) {
        int rest = job.taskCount() - job.taskIndex() - 1;
        return rest > 0 ? "; the remaining " + rest + " task(s) are skipped" : "";
    }

    /** The pipeline's task succeeded: tear its cluster down and launch the next task on its own cluster. */
    private Decision nextTask(ManagedJob job, Instant now) {
        TerminateCluster tearDown = terminate(job, "task " + (job.taskIndex() + 1) + " succeeded");
        ManagedJob next = job.with(b -> b.taskIndex = job.taskIndex() + 1);
        PlacementPlan plan = optimizer.plan(next.task().resources(), List.of());
        String done = "task " + (job.taskIndex() + 1) + " of " + job.taskCount() + " succeeded; ";
        if (!plan.feasible()) {
            // the failure is the next task's: the one that ran succeeded
            return Decision.of(List.of(JobStateMachine.failNoResource(next, FailureReason.NO_FEASIBLE_RESOURCE, List.of(),
                    0, done + "task " + (next.taskIndex() + 1) + ": " + plan.reason(), now)), List.of(tearDown));
        }
        Transition start = JobStateMachine.startNextTask(job, plan.cheapest().orElseThrow(),
                done + taskPrefix(next) + plan.reason(), now);
        return Decision.of(List.of(start), List.of(tearDown, launch(start.after())));
    }

    private static boolean restartAllowed(ManagedJob job, int code) {
        JobRecovery policy = recoveryOf(job);
        return policy.recoverOnExitCodes().contains(code) || job.restartCount() < policy.maxRestartsOnErrors();
    }

    /** RUNNING → RECOVERING → STARTING on a new cluster, same task id, nothing blocked: the cloud was not at fault. */
    private Decision restart(ManagedJob job, int code, Instant now) {
        JobRecovery policy = recoveryOf(job);
        boolean counted = !policy.recoverOnExitCodes().contains(code);
        String why = "run exited with code " + code + (counted
                ? "; restart " + (job.restartCount() + 1) + " of " + policy.maxRestartsOnErrors() + " (max_restarts_on_errors)"
                : "; code " + code + " is in recover_on_exit_codes, restart not counted");
        Transition restarting = JobStateMachine.restartAfterError(job, counted, why, now);
        ManagedJob rec = restarting.after();
        TerminateCluster tearDown = terminate(job, why);
        PlacementPlan plan = optimizer.plan(job.task().resources(), List.of());
        if (!plan.feasible()) {
            Transition fail = JobStateMachine.failNoResource(rec, FailureReason.CLUSTER_LOST, List.of(), 0,
                    "cannot restart: " + plan.reason(), now);
            return Decision.of(List.of(restarting, fail), List.of(tearDown));
        }
        Transition relaunch = JobStateMachine.relaunch(rec, plan.cheapest().orElseThrow(), List.of(), 0,
                why + "; restart of the run, attempt " + (rec.attempt() + 1) + " on " + plan.reason(), now);
        return Decision.of(List.of(restarting, relaunch), List.of(tearDown, launch(relaunch.after())));
    }

    static JobRecovery recoveryOf(ManagedJob job) {
        Resources r = job.task() == null ? null : job.task().resources();
        return r == null ? JobRecovery.DEFAULT : r.recovery();
    }

    private static boolean failover(ManagedJob job) {
        return JobRecovery.FAILOVER.equalsIgnoreCase(recoveryOf(job).strategy());
    }

    /** The task's resources narrowed to one cloud/region (alternatives too), for FAILOVER's same-region tries. */
    static Resources inRegion(Resources wanted, String cloud, String region) {
        Resources w = wanted == null ? Resources.builder().build() : wanted;
        java.util.function.UnaryOperator<Resources> pin = r -> r.toBuilder().cloud(cloud).region(region)
                .anyOf(null).ordered(null).build();
        return pin.apply(w).toBuilder()
                .anyOf(w.anyOf().stream().map(pin).toList())
                .ordered(w.ordered().stream().map(pin).toList())
                .build();
    }

    public Decision onClusterPreempted(ManagedJob job, ClusterPreempted event) {
        String stale = staleness(job, event.attempt());
        if (stale != null) return Decision.ignore(stale);
        return clusterLost(job, event.cloud(), event.region(), event.zone(), "preempted" + suffix(event.message()));
    }

    public Decision onLaunchFailed(ManagedJob job, LaunchFailed event) {
        String stale = staleness(job, event.attempt());
        if (stale != null) return Decision.ignore(stale);
        Instant now = clock.instant();
        String error = (event.errorClass() == null ? "UNKNOWN" : event.errorClass())
                + (event.errorCode() == null ? "" : " " + event.errorCode());
        // a launch that failed half-way may have left instances behind; terminating a gone cluster is a no-op
        TerminateCluster cleanUp = terminate(job, "launch failed: " + error);
        if (job.status() == JobStatus.CANCELLING) {
            return Decision.of(List.of(JobStateMachine.markCancelled(job, "cancelled: launch failed (" + error + ")", now)),
                    List.of(cleanUp));
        }
        if (!JobStateMachine.RELAUNCHABLE.contains(job.status())) return Decision.ignore("job is " + job.status());
        Placement where = job.placement();
        String cloud = event.cloud() != null ? event.cloud() : where == null ? null : where.cloud();
        String region = event.region() != null ? event.region() : where == null ? null : where.region();
        String zone = event.zone() != null ? event.zone() : where == null ? null : where.zone();
        if (event.errorClass() != null && !event.errorClass().retryElsewhere()) {
            return Decision.of(List.of(JobStateMachine.failPrechecks(job, FailureReason.CLOUD_REFUSED,
                    cloud + " refused attempt " + job.attempt() + ": " + error + suffix(event.message()), now)),
                    List.of(cleanUp));
        }
        BlockedScope block = BlockedScope.of(event.scope(), cloud, region, zone, error, job.attempt());
        List<BlockedScope> blocklist = new ArrayList<>(job.blocklist());
        blocklist.add(block);
        String why = "attempt " + job.attempt() + " failed in " + block.where() + ": " + error + suffix(event.message());
        return relaunchOrGiveUp(job, blocklist, job.failedLaunches() + 1, why, List.of(cleanUp), now);
    }

    /** The cluster of the current attempt is gone without the job having finished. */
    private Decision clusterLost(ManagedJob job, String cloud, String region, String zone, String why) {
        Instant now = clock.instant();
        Placement at = job.placement();
        String lostCloud = cloud != null ? cloud : at == null ? null : at.cloud();
        String lostRegion = region != null ? region : at == null ? null : at.region();
        String lostZone = zone != null ? zone : at == null ? null : at.zone();
        return switch (job.status()) {
            case RUNNING -> recover(job, lostCloud, lostRegion, lostZone, why, now);
            case STARTING -> {
                // lost before it came up: a failed launch of this placement
                BlockedScope block = BlockedScope.of(BlockScope.ZONE, lostCloud, lostRegion, lostZone, "cluster " + why,
                        job.attempt());
                List<BlockedScope> blocklist = new ArrayList<>(job.blocklist());
                blocklist.add(block);
                yield relaunchOrGiveUp(job, blocklist, job.failedLaunches() + 1,
                        "attempt " + job.attempt() + " lost in " + block.where() + " while starting: " + why,
                        List.of(terminate(job, "cluster " + why)), now);
            }
            case CANCELLING -> Decision.of(List.of(JobStateMachine.markCancelled(job,
                    "cancelled: cluster " + job.clusterName() + " " + why, now)), List.of());
            default -> Decision.ignore("cluster " + why + ", job is " + job.status());
        };
    }

    /**
     * EAGER_NEXT_REGION (default): tear the lost cluster down and relaunch with its region blocked (only its zone if
     * the user pinned the region, nothing if the zone is pinned); if nothing else fits, anywhere.
     * FAILOVER: relaunch in the same region first (up to {@link #FAILOVER_SAME_REGION_TRIES} failed launches,
     * each blocking the zone it failed in), then anywhere.
     */
    private Decision recover(ManagedJob job, String cloud, String region, String zone, String why, Instant now) {
        Resources wanted = job.task().resources();
        boolean regionPinned = wanted != null && wanted.region() != null;
        boolean zonePinned = wanted != null && wanted.zone() != null;
        boolean failover = failover(job);
        List<BlockedScope> blocklist = zonePinned || failover ? List.of() : List.of(BlockedScope.of(
                regionPinned ? BlockScope.ZONE : BlockScope.REGION, cloud, region, zone, "cluster " + why, job.attempt()));
        String lost = "cluster " + job.clusterName() + " " + why;
        Transition recovering = JobStateMachine.startRecovery(job, blocklist, lost, now);
        ManagedJob rec = recovering.after();
        TerminateCluster tearDown = terminate(job, lost);

        String strategy = failover ? "FAILOVER" : "EAGER_NEXT_REGION";
        PlacementPlan plan = failover && cloud != null && region != null
                ? optimizer.plan(inRegion(wanted, cloud, region), blocklist)
                : optimizer.plan(wanted, blocklist);
        List<BlockedScope> used = blocklist;
        if (!plan.feasible()) {
            used = List.of();
            plan = optimizer.plan(wanted, used);
        }
        if (!plan.feasible()) {
            Transition fail = JobStateMachine.failNoResource(rec, FailureReason.CLUSTER_LOST, used, 0,
                    "cannot recover: " + plan.reason(), now);
            return Decision.of(List.of(recovering, fail), List.of(tearDown));
        }
        Transition relaunch = JobStateMachine.relaunch(rec, plan.cheapest().orElseThrow(), used, 0,
                "recovery " + rec.recoveryCount() + " (" + strategy + "), attempt " + (rec.attempt() + 1) + " on "
                        + plan.reason(), now);
        return Decision.of(List.of(recovering, relaunch), List.of(tearDown, launch(relaunch.after())));
    }

    /**
     * After a failed launch: give up when the launch attempts or the launch time limit are used up, or when no
     * open placement is left; otherwise wait PENDING for the backoff, then for a launch slot.
     */
    private Decision relaunchOrGiveUp(ManagedJob job, List<BlockedScope> blocklist, int failedLaunches, String why,
                                      List<JobEvent> cleanUp, Instant now) {
        FailureReason failure = job.status() == JobStatus.RECOVERING ? FailureReason.CLUSTER_LOST : failureOf(job);
        if (failedLaunches >= maxLaunchAttempts) {
            return Decision.of(List.of(JobStateMachine.failNoResource(job, failure, blocklist, failedLaunches,
                    why + "; gave up after " + failedLaunches + " failed launches, tried: "
                            + BlockedScope.describeAll(blocklist), now)), cleanUp);
        }
        String timedOut = timedOut(job, now);
        if (timedOut != null) {
            return Decision.of(List.of(JobStateMachine.failNoResource(job, failure, blocklist, failedLaunches,
                    why + "; " + timedOut + ", tried: " + BlockedScope.describeAll(blocklist), now)), cleanUp);
        }
        PlacementPlan plan = choosePlacement(job, blocklist, failedLaunches);
        if (!plan.feasible()) {
            return Decision.of(List.of(JobStateMachine.failNoResource(job, failure, blocklist, failedLaunches,
                    why + "; no placement left: " + plan.reason(), now)), cleanUp);
        }
        java.time.Duration wait = backoff.delay(failedLaunches);
        Transition waiting = JobStateMachine.backOff(job, blocklist, failedLaunches, now.plus(wait),
                why + "; launch " + (failedLaunches + 1) + " of at most " + maxLaunchAttempts + " in "
                        + wait.toMillis() + " ms, next: " + plan.reason(), now);
        return Decision.of(List.of(waiting), cleanUp);
    }

    /**
     * Why a live cluster found on a cloud is an orphan to terminate, or null when it is the job's current cluster (or,
     * for a failed job, its cluster kept for debugging): the job is unknown (null) or terminal, or the cluster belongs
     * to another attempt.
     */
    public static String orphanReason(ManagedJob job, ClusterFound found) {
        if (job == null) return "job is unknown";
        boolean heldCluster = job.holdUntil() != null && found.attempt() == job.attempt()
                && found.clusterName().equals(job.clusterName());
        if (job.status().isTerminal() && !heldCluster) return "job is " + job.status();
        if (found.attempt() != job.attempt()) {
            return "attempt " + found.attempt() + " is not the job's current attempt " + job.attempt();
        }
        if (!found.clusterName().equals(job.clusterName())) {
            return "cluster is not the job's current cluster " + job.clusterName();
        }
        return null;
    }

    private static String staleness(ManagedJob job, int attempt) {
        if (job.status().isTerminal()) return "job is already " + job.status();
        if (attempt != job.attempt()) return "event of attempt " + attempt + ", job is on attempt " + job.attempt();
        return null;
    }

    LaunchCluster launch(ManagedJob job) {
        // secrets stay sealed: only the provisioner holds the key
        return new LaunchCluster(job.id(), job.attempt(), job.clusterName(), job.taskId(), job.placement(),
                job.task().numNodes(), job.task().envs(), job.task().secrets(), job.task().setup(), job.task().run(),
                job.task().fileMounts(), job.task().resources() == null ? null : job.task().resources().labels(),
                timeLimits.forLaunch(job));
    }

    static TerminateCluster terminate(ManagedJob job, String reason) {
        Placement p = job.placement();
        return TerminateCluster.of(job.id()).attempt(job.attempt()).clusterName(job.clusterName())
                .cloud(p == null ? null : p.cloud()).region(p == null ? null : p.region()).reason(reason).build();
    }

    private static String suffix(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }
}

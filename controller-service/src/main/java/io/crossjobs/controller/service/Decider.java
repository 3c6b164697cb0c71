package io.crossjobs.controller.service;

import io.crossjobs.controller.model.BlockedScope;
import io.crossjobs.controller.model.Decision;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.PlacementPlan;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Resources;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.TerminateCluster;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps (job, event) to a {@link Decision}: which named transitions to apply and which commands to send.
 * Pure: no database, no Kafka, the time from a {@link Clock}; the whole managed-job policy lives here
 * (failover on launch failure, EAGER_NEXT_REGION recovery, cancel) and is unit-tested as such.
 * Events about another attempt than the job's current one, or about a finished job, change nothing.
 */
public final class Decider {
    private final Optimizer optimizer;
    private final int maxLaunchAttempts;
    private final Clock clock;

    public Decider(Optimizer optimizer, int maxLaunchAttempts, Clock clock) {
        if (maxLaunchAttempts < 1) throw new IllegalArgumentException("maxLaunchAttempts must be at least 1");
        this.optimizer = optimizer;
        this.maxLaunchAttempts = maxLaunchAttempts;
        this.clock = clock;
    }

    /** A job just inserted as PENDING: launch it on the cheapest feasible placement, or fail its prechecks. */
    public Decision onSubmitted(ManagedJob job) {
        if (job.status() != JobStatus.PENDING) return Decision.ignore("job is " + job.status() + ", not PENDING");
        Instant now = clock.instant();
        if (job.task() == null) {
            return Decision.of(List.of(JobStateMachine.failPrechecks(job, FailureReason.NO_FEASIBLE_RESOURCE,
                    "the job has no task", now)), List.of());
        }
        PlacementPlan plan = optimizer.plan(job.task().resources(), job.blocklist());
        if (!plan.feasible()) {
            return Decision.of(List.of(JobStateMachine.failPrechecks(job, FailureReason.NO_FEASIBLE_RESOURCE,
                    plan.reason(), now)), List.of());
        }
        Transition start = JobStateMachine.startLaunch(job, plan.cheapest().orElseThrow(), plan.reason(), now);
        return Decision.of(List.of(start), List.of(launch(start.after())));
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

    public Decision onClusterProgress(ManagedJob job, ClusterProgress event) {
        String stale = staleness(job, event.attempt());
        if (stale != null) return Decision.ignore(stale);
        Instant now = clock.instant();
        return switch (event.state()) {
            case RUNNING -> JobStateMachine.COMING_UP.contains(job.status())
                    ? Decision.of(List.of(JobStateMachine.markRunning(job, "cluster " + job.clusterName() + " is up", now)), List.of())
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

    public Decision onJobExited(ManagedJob job, JobExited event) {
        String stale = staleness(job, event.attempt());
        if (stale != null) return Decision.ignore(stale);
        if (!JobStateMachine.MAY_EXIT.contains(job.status())) return Decision.ignore("job is " + job.status());
        if (event.phase() == RunPhase.SETUP && event.exitCode() == 0) return Decision.ignore("setup succeeded");
        Instant now = clock.instant();
        int code = event.exitCode();
        Transition end;
        if (event.phase() == RunPhase.SETUP) {
            end = JobStateMachine.markFailedSetup(job, code, "setup exited with code " + code, now);
        } else if (code == 0) {
            end = JobStateMachine.markSucceeded(job, "run exited with code 0", now);
        } else {
            end = JobStateMachine.markFailed(job, code, "run exited with code " + code, now);
        }
        // while CANCELLING the cluster is already being torn down
        List<JobEvent> commands = job.status() == JobStatus.CANCELLING ? List.of()
                : List.of(terminate(job, "job " + end.to()));
        return Decision.of(List.of(end), commands);
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
     * EAGER_NEXT_REGION: tear the lost cluster down and relaunch with its region blocked (only its zone if the
     * user pinned the region, nothing if the zone is pinned); if nothing else fits, anywhere.
     */
    private Decision recover(ManagedJob job, String cloud, String region, String zone, String why, Instant now) {
        Resources wanted = job.task().resources();
        boolean regionPinned = wanted != null && wanted.region() != null;
        boolean zonePinned = wanted != null && wanted.zone() != null;
        List<BlockedScope> blocklist = zonePinned ? List.of() : List.of(BlockedScope.of(
                regionPinned ? BlockScope.ZONE : BlockScope.REGION, cloud, region, zone, "cluster " + why, job.attempt()));
        String lost = "cluster " + job.clusterName() + " " + why;
        Transition recovering = JobStateMachine.startRecovery(job, blocklist, lost, now);
        ManagedJob rec = recovering.after();
        TerminateCluster tearDown = terminate(job, lost);

        PlacementPlan plan = optimizer.plan(wanted, blocklist);
        List<BlockedScope> used = blocklist;
        if (!plan.feasible() && !blocklist.isEmpty()) {
            used = List.of();
            plan = optimizer.plan(wanted, used);
        }
        if (!plan.feasible()) {
            Transition fail = JobStateMachine.failNoResource(rec, FailureReason.CLUSTER_LOST, used, 0,
                    "cannot recover: " + plan.reason(), now);
            return Decision.of(List.of(recovering, fail), List.of(tearDown));
        }
        Transition relaunch = JobStateMachine.relaunch(rec, plan.cheapest().orElseThrow(), used, 0,
                "recovery " + rec.recoveryCount() + ", attempt " + (rec.attempt() + 1) + " on " + plan.reason(), now);
        return Decision.of(List.of(recovering, relaunch), List.of(tearDown, launch(relaunch.after())));
    }

    private Decision relaunchOrGiveUp(ManagedJob job, List<BlockedScope> blocklist, int failedLaunches, String why,
                                      List<JobEvent> cleanUp, Instant now) {
        FailureReason failure = job.status() == JobStatus.RECOVERING || job.recoveryCount() > 0
                ? FailureReason.CLUSTER_LOST : FailureReason.LAUNCH_RETRIES_EXHAUSTED;
        if (failedLaunches >= maxLaunchAttempts) {
            return Decision.of(List.of(JobStateMachine.failNoResource(job, failure, blocklist, failedLaunches,
                    why + "; gave up after " + failedLaunches + " failed launches, tried: "
                            + Optimizer.describeBlocks(blocklist), now)), cleanUp);
        }
        PlacementPlan plan = optimizer.plan(job.task().resources(), blocklist);
        if (!plan.feasible()) {
            return Decision.of(List.of(JobStateMachine.failNoResource(job, failure, blocklist, failedLaunches,
                    why + "; no placement left: " + plan.reason(), now)), cleanUp);
        }
        Transition relaunch = JobStateMachine.relaunch(job, plan.cheapest().orElseThrow(), blocklist, failedLaunches,
                why + "; attempt " + (job.attempt() + 1) + " on " + plan.reason(), now);
        List<JobEvent> commands = new ArrayList<>(cleanUp);
        commands.add(launch(relaunch.after()));
        return Decision.of(List.of(relaunch), commands);
    }

    private static String staleness(ManagedJob job, int attempt) {
        if (job.status().isTerminal()) return "job is already " + job.status();
        if (attempt != job.attempt()) return "event of attempt " + attempt + ", job is on attempt " + job.attempt();
        return null;
    }

    static LaunchCluster launch(ManagedJob job) {
        return new LaunchCluster(job.id(), job.attempt(), job.clusterName(), job.taskId(), job.placement(),
                job.task().numNodes(), job.task().envs(), job.task().setup(), job.task().run());
    }

    static TerminateCluster terminate(ManagedJob job, String reason) {
        Placement p = job.placement();
        return new TerminateCluster(job.id(), job.attempt(), job.clusterName(), p == null ? null : p.cloud(),
                p == null ? null : p.region(), reason);
    }

    private static String suffix(String message) {
        return message == null || message.isBlank() ? "" : ": " + message;
    }
}

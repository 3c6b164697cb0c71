package io.crossjobs.controller.service;

import io.crossjobs.controller.model.Decision;
import io.crossjobs.controller.model.LaunchesInFlight;
import io.crossjobs.controller.model.HoldRelease;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.OutputHold;
import io.crossjobs.controller.model.OutputHoldChange;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.controller.repository.LifecycleStore;
import io.crossjobs.controller.repository.OutputHoldStore;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.ClusterFound;
import io.crossjobs.events.ClusterHold;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.OutputStored;
import io.crossjobs.events.ReleaseHoldRequested;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.events.Topics;
import io.crossjobs.service.messaging.ParkedRecord;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Applies one incoming event to one job, in one transaction: the inbox row (a redelivered event id is
 * skipped), the job's row lock, the {@link Decider}'s transitions as guarded updates with their history
 * rows and JobStatusChanged events, and the resulting commands, all written to the outbox; exits and cluster news
 * go through {@link OutputWait}, whose output hold is read and written in the same transaction.
 */
@ApplicationScoped
public class JobLifecycleService {
    /** The inbox's type for what the controller did about a parked record. */
    private static final String PARKED_EVENT_TYPE = "crossjobs.parked";
    /** Output holds whose wait is over, ended per scan. */
    private static final int WAITS_OVER_PER_SCAN = 50;

    private final LifecycleStore store;
    private final OutputHoldStore holds;
    private final Decider decider;
    private final OutputWait outputWait;
    private final Clock clock;

    public JobLifecycleService(LifecycleStore store, OutputHoldStore holds, Decider decider, OutputWait outputWait,
                               Clock clock) {
        this.store = store;
        this.holds = holds;
        this.decider = decider;
        this.outputWait = outputWait;
        this.clock = clock;
    }

    public Uni<Void> onJobSubmitted(String eventId, JobSubmitted event) {
        return firstDelivery(eventId, event, (conn, existing) -> {
            if (existing != null) {
                // the same submission again under a new event id (e.g. a job-api relay retry)
                Log.debugf("job=%s already known (%s), JobSubmitted %s changes nothing", event.jobId(),
                        existing.status(), eventId);
                return Uni.createFrom().voidItem();
            }
            Instant now = clock.instant();
            ManagedJob pending = ManagedJob.pending(event.jobId(), event.name(), event.owner(), event.tasks(),
                    event.effectivePriority(), event.submittedAt(), now);
            // subscribers learn of the job here, before any placement, as SkyPilot's queue shows PENDING first
            JobStatusChanged created = JobStatusChanged.of(pending.id()).name(pending.name()).owner(pending.owner())
                    .to(pending.status()).reason(pending.statusReason()).at(now).costSoFar(0.0)
                    .taskCount(pending.taskCount()).build();
            return store.insertPending(conn, pending)
                    .chain(() -> store.enqueue(conn, created, Topics.JOB_STATUS, now))
                    .invoke(() -> Log.infof("job=%s submitted by %s: PENDING", pending.id(), pending.owner()))
                    .chain(() -> apply(conn, pending, EventType.JOB_SUBMITTED, decider.onSubmitted(pending)));
        });
    }

    public Uni<Void> onCancelRequested(String eventId, CancelRequested event) {
        return decide(eventId, event, job -> decider.onCancelRequested(job, event));
    }

    public Uni<Void> onClusterProgress(String eventId, ClusterProgress event) {
        return decideWithHold(eventId, event, (job, hold) -> outputWait.onClusterProgress(job, event, hold));
    }

    public Uni<Void> onJobExited(String eventId, JobExited event) {
        return decideWithHold(eventId, event, (job, hold) -> outputWait.onJobExited(job, event, hold));
    }

    public Uni<Void> onClusterPreempted(String eventId, ClusterPreempted event) {
        return decideWithHold(eventId, event, (job, hold) -> outputWait.onClusterPreempted(job, event, hold));
    }

    public Uni<Void> onLaunchFailed(String eventId, LaunchFailed event) {
        return decideWithHold(eventId, event, (job, hold) -> outputWait.onLaunchFailed(job, event, hold));
    }

    /** job-api stored the attempt's output: a held exit is applied now, or the exit will not wait when it comes. */
    public Uni<Void> onOutputStored(String eventId, OutputStored event) {
        return decideWithHold(eventId, event, (job, hold) -> outputWait.onOutputStored(job, event, hold));
    }

    /**
     * The launch scheduler's part, inside its transaction: held exits whose wait is over end their jobs (each job's
     * row locked). Returns how many jobs changed.
     */
    public Uni<Integer> endOverdueWaits(SqlConnection conn) {
        return holds.lockOverdue(conn, clock.instant(), WAITS_OVER_PER_SCAN).chain(ids -> {
            Uni<Integer> done = Uni.createFrom().item(0);
            for (String id : ids) {
                done = done.chain(n -> store.lock(conn, id).chain(job -> job == null ? Uni.createFrom().item(n)
                        : holds.find(conn, id, job.attempt()).chain(hold -> {
                            Decision decision = outputWait.onWaitOver(job, hold);
                            return apply(conn, job, "output wait over", decision)
                                    .replaceWith(decision.transitions().isEmpty() ? n : n + 1);
                        })));
            }
            return done;
        });
    }

    /**
     * One of the job's events was parked (any consumer's, on any topic): the job fails as FAILED_CONTROLLER. A
     * key that is no job of this controller's (a check, a job it never learnt of) changes nothing here.
     */
    public Uni<Void> onEventParked(ParkedRecord parked) {
        String about = (parked.eventType() == null ? "an unreadable record" : parked.eventType()) + " from "
                + parked.origin() + " could not be handled and was parked as " + parked.id() + ": " + parked.reason();
        return store.inTransaction(conn -> store.recordDelivery(conn, parked.id(), PARKED_EVENT_TYPE, parked.key(),
                clock.instant()).chain(delivery -> {
                    if (!delivery.firstDelivery()) return Uni.createFrom().voidItem();
                    if (delivery.job() == null) {
                        Log.infof("job=%s is not known here; parked %s changes nothing in the controller",
                                parked.key(), parked.id());
                        return Uni.createFrom().voidItem();
                    }
                    return apply(conn, delivery.job(), "parked event", decider.onEventParked(delivery.job(), about));
                }));
    }

    /**
     * A provisioner found a live cluster it did not launch (it restarted, or the instance was made behind its
     * back): terminated when its job is unknown or terminal, or it is not the job's current cluster; left alone
     * otherwise. The terminate command is idempotent, so a second report or a cluster already going is harmless.
     */
    public Uni<Void> onClusterFound(String eventId, ClusterFound event) {
        return firstDelivery(eventId, event, (conn, job) -> {
            String orphan = Decider.orphanReason(job, event);
            if (orphan == null) {
                Log.infof("job=%s attempt=%d cloud=%s region=%s cluster %s found by the provisioner is the job's"
                                + " current one (%s): kept", event.jobId(), event.attempt(), event.cloud(),
                        event.region(), event.clusterName(), job.status());
                return Uni.createFrom().voidItem();
            }
            Log.warnf("job=%s attempt=%d cloud=%s region=%s cluster %s is an orphan (%s): terminating", event.jobId(),
                    event.attempt(), event.cloud(), event.region(), event.clusterName(), orphan);
            return enqueueCommand(conn, TerminateCluster.of(event.jobId()).attempt(event.attempt())
                    .clusterName(event.clusterName()).cloud(event.cloud()).region(event.region())
                    .reason("orphan: " + orphan).build());
        });
    }

    /**
     * The launch scheduler's part, inside its transaction: each job (its row locked by the scan), in order, gets its
     * launch decided against {@code inFlight}, which counts each launch made here, until {@code slots} launches are
     * made. A job whose every candidate region is full changes nothing and waits PENDING.
     */
    public Uni<LaunchRound> launchLocked(SqlConnection conn, List<ManagedJob> jobs, LaunchesInFlight inFlight,
                                         int slots) {
        Uni<LaunchRound> round = Uni.createFrom().item(LaunchRound.NONE);
        for (ManagedJob job : jobs) {
            round = round.chain(r -> {
                if (r.launched() >= slots) return Uni.createFrom().item(r);
                Decision decision = decider.onLaunchSlot(job, inFlight);
                ManagedJob after = decision.resultingJob(job);
                boolean launched = after.status() == JobStatus.STARTING;
                if (launched) inFlight.add(after.placement());
                return apply(conn, job, "launch slot", decision).replaceWith(r.plus(decision, launched));
            });
        }
        return round;
    }

    /**
     * What a scan's launch decisions did: jobs looked at, jobs launched, jobs changed (launched or failed), and jobs
     * left waiting PENDING because every region they may use was full.
     */
    public record LaunchRound(int examined, int launched, int changed, int waiting) {
        public static final LaunchRound NONE = new LaunchRound(0, 0, 0, 0);

        LaunchRound plus(Decision decision, boolean launched) {
            boolean changedJob = !decision.isEmpty();
            return new LaunchRound(examined + 1, launched ? this.launched + 1 : this.launched,
                    changedJob ? changed + 1 : changed, changedJob ? waiting : waiting + 1);
        }

        /** The scan's jobs and these. */
        public LaunchRound and(LaunchRound more) {
            return new LaunchRound(examined + more.examined, launched + more.launched, changed + more.changed,
                    waiting + more.waiting);
        }
    }

    /** Debug holds whose time is up (rows already locked by the scan): their clusters are terminated. */
    public Uni<Integer> releaseOverdueHolds(SqlConnection conn, List<String> jobIds) {
        return decideLocked(conn, jobIds, "debug hold over", decider::onHoldOver);
    }

    /** The owner of a failed job asked to end its debug hold now. */
    public Uni<Void> onReleaseHoldRequested(String eventId, ReleaseHoldRequested event) {
        return decide(eventId, event, job -> decider.onReleaseHoldRequested(job, event));
    }

    /** Launches in flight past their time limit (rows already locked by the scan) give their slot back. */
    public Uni<Integer> expireLocked(SqlConnection conn, List<String> jobIds) {
        return decideLocked(conn, jobIds, "launch overdue", decider::onLaunchOverdue);
    }

    /** Runs past their time limit that their node did not stop (rows already locked by the scan) end here. */
    public Uni<Integer> endOverdueRuns(SqlConnection conn, List<String> jobIds) {
        return decideLocked(conn, jobIds, "time limit overdue", decider::onRunOverdue);
    }

    private Uni<Integer> decideLocked(SqlConnection conn, List<String> jobIds, String cause,
                                      Function<ManagedJob, Decision> decide) {
        Uni<Integer> done = Uni.createFrom().item(0);
        for (String id : jobIds) {
            done = done.chain(n -> store.lock(conn, id).chain(job -> {
                if (job == null) return Uni.createFrom().item(n);
                Decision decision = decide.apply(job);
                return apply(conn, job, cause, decision).replaceWith(decision.isEmpty() ? n : n + 1);
            }));
        }
        return done;
    }

    private Uni<Void> decide(String eventId, JobEvent event, Function<ManagedJob, Decision> decision) {
        return firstDelivery(eventId, event, (conn, job) -> {
            if (job == null) {
                Log.warnf("job=%s is unknown; %s %s ignored", event.jobId(), EventType.of(event), eventId);
                return Uni.createFrom().voidItem();
            }
            return apply(conn, job, EventType.of(event), decision.apply(job));
        });
    }

    /** As {@link #decide}, with the output hold of the job's current attempt read too. */
    private Uni<Void> decideWithHold(String eventId, JobEvent event, BiFunction<ManagedJob, OutputHold, Decision> decision) {
        return firstDelivery(eventId, event, (conn, job) -> {
            if (job == null) {
                Log.warnf("job=%s is unknown; %s %s ignored", event.jobId(), EventType.of(event), eventId);
                return Uni.createFrom().voidItem();
            }
            return holds.find(conn, job.id(), job.attempt())
                    .chain(hold -> apply(conn, job, EventType.of(event), decision.apply(job, hold)));
        });
    }

    /** One transaction: the inbox row, then {@code work} with the job's row locked (null: no such job). */
    private Uni<Void> firstDelivery(String eventId, JobEvent event,
                                    BiFunction<SqlConnection, ManagedJob, Uni<Void>> work) {
        return store.inTransaction(conn -> store.recordDelivery(conn, eventId, EventType.of(event).ceType(),
                event.jobId(), clock.instant()).chain(delivery -> {
                    if (delivery.firstDelivery()) return work.apply(conn, delivery.job());
                    Log.debugf("job=%s %s %s was processed before, skipped", event.jobId(), EventType.of(event), eventId);
                    return Uni.createFrom().voidItem();
                }));
    }

    private Uni<Void> apply(SqlConnection conn, ManagedJob job, Object cause, Decision decision) {
        if (decision.isEmpty()) {
            Log.debugf("%s %s changes nothing: %s", job.logContext(), cause, decision.ignoredBecause());
            return Uni.createFrom().voidItem();
        }
        Uni<Boolean> applied = applyInOrder(conn, decision.transitions(), 0)
                .chain(ok -> ok && decision.holdRelease() != null ? releaseHold(conn, job, decision.holdRelease())
                        : Uni.createFrom().item(ok));
        return applied.chain(ok -> {
            if (!ok) return Uni.createFrom().voidItem();
            Uni<Void> sent = Uni.createFrom().voidItem();
            for (JobEvent command : decision.commands()) {
                sent = sent.chain(() -> enqueueCommand(conn, command));
            }
            return sent.chain(() -> applyOutputHold(conn, job, decision));
        });
    }

    /** The decision's change to the output hold; a job that ended keeps no hold. */
    private Uni<Void> applyOutputHold(SqlConnection conn, ManagedJob job, Decision decision) {
        OutputHoldChange change = decision.outputHold();
        if (change instanceof OutputHoldChange.HoldExit hold) {
            Log.infof("%s %s exited with %d: its status waits for its output until %s", job.logContext(),
                    hold.exit().phase(), hold.exit().exitCode(), hold.exit().releaseBy());
        } else if (change != null) {
            Log.debugf("%s output hold: %s", job.logContext(), change);
        }
        boolean ended = decision.resultingJob(job).status().isTerminal();
        if (ended && !job.status().isTerminal()) return holds.endAll(conn, job.id());
        return change == null ? Uni.createFrom().voidItem() : holds.apply(conn, job.id(), change);
    }

    /** False when the hold was ended already (by the scan and a request at once): nothing more is sent. */
    private Uni<Boolean> releaseHold(SqlConnection conn, ManagedJob job, HoldRelease release) {
        return store.releaseHold(conn, job, release.after()).invoke(released -> {
            if (released) Log.infof("%s cluster %s: %s", job.logContext(), job.clusterName(), release.reason());
        });
    }

    /** False if the first guard failed (a stale decision: nothing written). */
    private Uni<Boolean> applyInOrder(SqlConnection conn, List<Transition> transitions, int index) {
        if (index == transitions.size()) return Uni.createFrom().item(true);
        Transition t = transitions.get(index);
        return applyTransition(conn, t).chain(ok -> {
            if (ok) return applyInOrder(conn, transitions, index + 1);
            if (index == 0) return Uni.createFrom().item(false);
            // the row is locked, so only the first guard can meet a newer state; a later one failing would leave
            // half a decision written: roll it all back and let the retry decide afresh
            return Uni.createFrom().failure(new IllegalStateException("job=" + t.jobId() + " guard of " + t.name()
                    + " failed in the middle of a decision"));
        });
    }

    private Uni<Boolean> applyTransition(SqlConnection conn, Transition t) {
        ManagedJob after = t.after();
        JobStatusChanged changed = JobStatusChanged.of(after.id()).name(after.name()).owner(after.owner())
                .from(t.from()).to(t.to()).reason(t.reason()).failureReason(after.failureReason())
                .exitCode(after.exitCode()).attempt(after.attempt()).recoveryCount(after.recoveryCount())
                .placement(after.placement()).at(after.updatedAt()).restartCount(after.restartCount())
                .costSoFar(after.costSoFarMicros(after.updatedAt())).taskIndex(after.taskIndex())
                .taskCount(after.taskCount())
                .hold(after.holdUntil() == null ? null
                        : new ClusterHold(after.holdUntil(), after.clusterName(), after.instanceIds()))
                .build();
        return store.apply(conn, t, changed, Topics.JOB_STATUS).invoke(updated -> {
            if (updated) {
                Log.infof("%s %s → %s (%s)", after.logContext(), t.from(), t.to(), t.reason());
            } else {
                // the row moved on since it was read: the decision is stale, so nothing of it is written
                Log.debugf("%s %s not applied: job no longer %s at attempt %d", t.before().logContext(), t.name(),
                        t.guard(), t.guardAttempt());
            }
        });
    }

    private Uni<Void> enqueueCommand(SqlConnection conn, JobEvent command) {
        String cloud = command instanceof LaunchCluster l ? l.placement().cloud()
                : command instanceof TerminateCluster t ? t.cloud() : null;
        if (cloud == null) {
            Log.warnf("job=%s %s has no cloud to send it to; dropped", command.jobId(), EventType.of(command));
            return Uni.createFrom().voidItem();
        }
        String topic = Topics.provisionCommands(cloud);
        if (command instanceof LaunchCluster l) {
            Log.infof("job=%s attempt=%d cloud=%s region=%s zone=%s LaunchCluster %s %s on %s", l.jobId(), l.attempt(),
                    l.placement().cloud(), l.placement().region(), l.placement().zone(), l.clusterName(),
                    l.placement().instanceType(), topic);
        } else if (command instanceof TerminateCluster t) {
            Log.infof("job=%s attempt=%d cloud=%s region=%s TerminateCluster %s on %s (%s)", t.jobId(), t.attempt(),
                    t.cloud(), t.region(), t.clusterName(), topic, t.reason());
        }
        return store.enqueue(conn, command, topic, clock.instant());
    }
}

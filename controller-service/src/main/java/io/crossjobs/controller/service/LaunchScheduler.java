package io.crossjobs.controller.service;

import io.crossjobs.controller.config.ControllerConfig;
import io.crossjobs.controller.model.LaunchesInFlight;
import io.crossjobs.controller.repository.LifecycleStore;
import io.crossjobs.controller.service.JobLifecycleService.LaunchRound;
import io.crossjobs.service.messaging.EventHandled;
import io.crossjobs.service.messaging.OutboxRelay;
import io.crossjobs.service.messaging.Rounds;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands out launch slots: one scan, in one transaction that holds the scheduler's lease (so two controllers never
 * count and launch at once), counts the launches in flight (jobs STARTING) per region of each cloud, then walks the
 * PENDING jobs whose backoff is over ({@code for update skip locked}, highest priority first, then oldest) and
 * launches each on its cheapest candidate whose region has launch capacity left ({@link LaunchCapacity}), until the
 * free slots are used. A job whose every region is full waits PENDING; the scan looks past up to
 * {@value #LOOK_PAST} such jobs, so they do not hold up the jobs behind them that may go elsewhere. No timer per
 * job: backoff is a timestamp on the row and the counts are the rows', so a restarted controller (or a second one)
 * picks the work up from the database. Woken after each handled event and by a tick. First, launches in flight past
 * {@code launch-timeout} (the provisioner never answered) are failed, so a stuck launch cannot hold its slot forever,
 * exits held for their output past {@code output-wait} end their jobs ({@link OutputWait}), and runs past their
 * time limit that their node did not stop end too ({@link TimeLimits}), and failed jobs' debug holds past their time
 * have their clusters terminated.
 */
@ApplicationScoped
public class LaunchScheduler {
    private final LifecycleStore store;
    private final JobLifecycleService lifecycle;
    private final OutboxRelay relay;
    private final Clock clock;
    private static final int OVERDUE_PER_SCAN = 50;
    /** Jobs waiting for a full region a scan looks past before it stops. */
    static final int LOOK_PAST = 64;
    /** PENDING rows locked and read per query. */
    private static final int PAGE = 100;

    private final int maxConcurrentLaunches;
    private final java.time.Duration launchTimeout;
    /** A run's deadline plus the node's grace and the slack: past it, the controller ends the run. */
    private final java.time.Duration pastDeadline;
    private final Rounds scans;

    public LaunchScheduler(LifecycleStore store, JobLifecycleService lifecycle, OutboxRelay relay, Clock clock,
                           ControllerConfig config) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.relay = relay;
        this.clock = clock;
        this.maxConcurrentLaunches = config.maxConcurrentLaunches();
        this.launchTimeout = config.launchTimeout();
        this.pastDeadline = config.timeLimit().grace().plus(config.timeLimit().slack());
        this.scans = new Rounds(() -> store.inTransaction(this::scan).map(changed -> {
            if (changed > 0) relay.trigger();
            return Rounds.Next.DONE;
        }), failure -> Log.warnf("launch scheduler: scan failed, the next tick retries: %s", failure.toString()));
    }

    /** Scans soon, on an event loop; returns at once. A trigger during a scan makes it scan again. */
    public void trigger() {
        scans.request();
    }

    @Scheduled(every = "${crossjobs.controller.schedule.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        trigger();
    }

    /** A submission, a failed launch or a finished one may have made a launch possible. */
    void afterHandled(@Observes EventHandled handled) {
        trigger();
    }

    void stop(@Observes ShutdownEvent event) {
        scans.stop();
    }

    private Uni<Integer> scan(SqlConnection conn) {
        return store.tryScanLease(conn).chain(leased -> {
            if (!leased) {
                Log.debug("launch scheduler: another controller is scanning; nothing to do here");
                return Uni.createFrom().item(0);
            }
            Instant now = clock.instant();
            return settle(conn, 0, store.lockOverdueLaunches(conn, now.minus(launchTimeout), OVERDUE_PER_SCAN),
                            lifecycle::expireLocked)
                    .chain(settled -> lifecycle.endOverdueWaits(conn).map(ended -> settled + ended))
                    .chain(settled -> settle(conn, settled, store.lockRunsPastDeadline(conn, now.minus(pastDeadline),
                            OVERDUE_PER_SCAN), lifecycle::endOverdueRuns))
                    .chain(settled -> settle(conn, settled, store.lockHoldsOver(conn, now, OVERDUE_PER_SCAN),
                            lifecycle::releaseOverdueHolds))
                    .chain(settled -> launchWaiting(conn).map(changed -> settled + changed));
        });
    }

    /** {@code settled} plus the jobs that {@code handle} changed of those {@code due} locked. */
    private static Uni<Integer> settle(SqlConnection conn, int settled, Uni<List<String>> due,
                                       java.util.function.BiFunction<SqlConnection, List<String>, Uni<Integer>> handle) {
        return due.chain(ids -> ids.isEmpty() ? Uni.createFrom().item(settled)
                : handle.apply(conn, ids).map(changed -> settled + changed));
    }

    private Uni<Integer> launchWaiting(SqlConnection conn) {
        return store.launchesInFlight(conn).chain(inFlight -> {
            int free = maxConcurrentLaunches - inFlight.total();
            if (free <= 0) return Uni.createFrom().item(0);
            return launchPages(conn, inFlight, free, new ArrayList<>(), LaunchRound.NONE).map(round -> {
                if (round.examined() > 0) {
                    Log.debugf("launch scheduler: %d free slot(s), %d job(s) looked at: %d launched, %d failed,"
                                    + " %d waiting for a full region; in flight now %s", free, round.examined(),
                            round.launched(), round.changed() - round.launched(), round.waiting(), inFlight);
                }
                return round.changed();
            });
        });
    }

    /**
     * One page of the queue after the jobs {@code seen}, then the next, until {@code free} launches are made, the
     * scan looked past {@value #LOOK_PAST} waiting jobs, or the queue ends. The first page asks for as many jobs as
     * there are free slots; once jobs wait, a page also asks for as many as may still be looked past.
     */
    private Uni<LaunchRound> launchPages(SqlConnection conn, LaunchesInFlight inFlight, int free, List<String> seen,
                                         LaunchRound soFar) {
        int slots = free - soFar.launched();
        int lookPast = LOOK_PAST - soFar.waiting();
        if (slots <= 0 || lookPast <= 0) return Uni.createFrom().item(soFar);
        int page = Math.min(PAGE, soFar.waiting() == 0 ? slots : slots + lookPast);
        return store.lockLaunchable(conn, clock.instant(), page, seen).chain(jobs -> {
            if (jobs.isEmpty()) return Uni.createFrom().item(soFar);
            jobs.forEach(job -> seen.add(job.id()));
            return lifecycle.launchLocked(conn, jobs, inFlight, slots).chain(round -> jobs.size() < page
                    ? Uni.createFrom().item(soFar.and(round))
                    : launchPages(conn, inFlight, free, seen, soFar.and(round)));
        });
    }
}

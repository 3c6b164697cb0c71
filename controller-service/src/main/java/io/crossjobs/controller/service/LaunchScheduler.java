package io.crossjobs.controller.service;

import io.crossjobs.controller.config.ControllerConfig;
import io.crossjobs.controller.messaging.OutboxRelay;
import io.crossjobs.controller.repository.LifecycleStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands out launch slots: one scan, in one transaction, counts the launches in flight (jobs STARTING), locks up
 * to the free number of PENDING jobs whose backoff is over ({@code for update skip locked}, highest priority
 * first, then oldest) and launches them. No timer per job: backoff is a timestamp on the row, so a restarted
 * controller (or a second one) picks the work up from the database. Woken after each handled event and by a tick.
 * First, launches in flight past {@code launch-timeout} (the provisioner never answered) are failed, so a stuck
 * launch cannot hold its slot forever.
 */
@ApplicationScoped
public class LaunchScheduler {
    private final LifecycleStore store;
    private final JobLifecycleService lifecycle;
    private final OutboxRelay relay;
    private final Clock clock;
    private static final int OVERDUE_PER_SCAN = 50;

    private final int maxConcurrentLaunches;
    private final java.time.Duration launchTimeout;
    private final AtomicBoolean scanning = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean stopping;

    public LaunchScheduler(LifecycleStore store, JobLifecycleService lifecycle, OutboxRelay relay, Clock clock,
                           ControllerConfig config) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.relay = relay;
        this.clock = clock;
        this.maxConcurrentLaunches = config.maxConcurrentLaunches();
        this.launchTimeout = config.launchTimeout();
    }

    /** Scans soon, on an event loop; returns at once. A trigger during a scan makes it scan again. */
    public void trigger() {
        if (stopping) return;
        requested.set(true);
        if (scanning.compareAndSet(false, true)) startScan();
    }

    @Scheduled(every = "${crossjobs.controller.schedule.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        trigger();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void startScan() {
        requested.set(false);
        store.inTransaction(this::scan).subscribe().with(
                launched -> {
                    if (launched > 0) relay.trigger();
                    scanning.set(false);
                    if (requested.get() && scanning.compareAndSet(false, true)) startScan();
                },
                failure -> {
                    if (!stopping) Log.warnf("launch scheduler: scan failed, the next tick retries: %s", failure.toString());
                    scanning.set(false);
                });
    }

    private Uni<Integer> scan(SqlConnection conn) {
        return store.lockOverdueLaunches(conn, clock.instant().minus(launchTimeout), OVERDUE_PER_SCAN)
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(0) : lifecycle.expireLocked(conn, ids))
                .chain(expired -> launchWaiting(conn).map(launched -> expired + launched));
    }

    private Uni<Integer> launchWaiting(SqlConnection conn) {
        return store.countLaunching(conn).chain(inFlight -> {
            int free = maxConcurrentLaunches - inFlight;
            if (free <= 0) return Uni.createFrom().item(0);
            return store.lockLaunchable(conn, clock.instant(), free).chain(ids -> {
                if (ids.isEmpty()) return Uni.createFrom().item(0);
                Log.debugf("launch scheduler: %s in flight, %s free slot(s), launching %s", String.valueOf(inFlight), String.valueOf(free), ids);
                return lifecycle.launchLocked(conn, ids);
            });
        });
    }
}

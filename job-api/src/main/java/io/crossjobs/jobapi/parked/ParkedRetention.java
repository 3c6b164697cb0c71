package io.crossjobs.jobapi.parked;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps parked records for {@code jobapi.parked.retention} (30 days by default): long enough for an admin to read
 * and replay them, after which their jobs have long been failed and the table would only grow. Replayed or not,
 * an older record is deleted; the parked-events topic keeps its own copy for its own retention.
 */
@ApplicationScoped
public class ParkedRetention {
    private static final Logger LOG = Logger.getLogger(ParkedRetention.class);

    private final ParkedEventStore store;
    private final Duration retention;
    private final Clock clock;

    public ParkedRetention(ParkedEventStore store,
                           @ConfigProperty(name = "jobapi.parked.retention", defaultValue = "30d") Duration retention,
                           Clock clock) {
        this.store = store;
        this.retention = retention;
        this.clock = clock;
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        purgeAt(clock.instant()).subscribe().with(ignored -> { },
                failure -> LOG.warnf("purge of parked records failed, the next round retries: %s", failure.toString()));
    }

    /** Deletes what is past the retention at {@code now}; completes with how many records went. */
    public Uni<Integer> purgeAt(Instant now) {
        return store.purgeParkedBefore(now.minus(retention)).invoke(purged -> {
            if (purged > 0) LOG.infof("purged %d parked records older than %s", purged, retention);
        });
    }
}

package io.crossjobs.service.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Deletes published outbox rows and old inbox ids, so bookkeeping tables stay as small as a few days' traffic. */
@ApplicationScoped
public class RetentionPurge {
    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    private final Pool pool;
    private final MessagingConfig config;
    private final Clock clock;

    public RetentionPurge(Pool pool, MessagingConfig config, Clock clock) {
        this.pool = pool;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        purgeAt(clock.instant()).subscribe().with(ignored -> { },
                failure -> LOG.warnf("retention purge failed, the next round retries: %s", failure.toString()));
    }

    /** Deletes what is past its retention at {@code now}, in one transaction; completes when committed. */
    public Uni<Void> purgeAt(Instant now) {
        Instant outboxCutoff = now.minus(config.retention().outbox());
        Instant inboxCutoff = now.minus(config.retention().inbox());
        return pool.withTransaction(conn -> conn.preparedQuery("delete from outbox where published_at < $1")
                .execute(Tuple.of(outboxCutoff.atOffset(ZoneOffset.UTC)))
                .chain(outbox -> conn.preparedQuery("delete from inbox where processed_at < $1")
                        .execute(Tuple.of(inboxCutoff.atOffset(ZoneOffset.UTC)))
                        .invoke(inbox -> {
                            if (outbox.rowCount() + inbox.rowCount() > 0) {
                                LOG.infof("purged %d published outbox rows and %d inbox ids", outbox.rowCount(),
                                        inbox.rowCount());
                            }
                        })))
                .replaceWithVoid();
    }
}

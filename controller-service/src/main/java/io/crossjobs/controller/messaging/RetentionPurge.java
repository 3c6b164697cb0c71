package io.crossjobs.controller.messaging;

import io.crossjobs.controller.config.ControllerConfig;
import io.crossjobs.controller.repository.InboxRepository;
import io.crossjobs.controller.repository.OutboxRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;

/** Deletes published outbox rows and old inbox ids, so bookkeeping tables stay as small as a few days' traffic. */
@ApplicationScoped
public class RetentionPurge {
    private final OutboxRepository outbox;
    private final InboxRepository inbox;
    private final ControllerConfig config;
    private final Vertx vertx;
    private final Clock clock;

    public RetentionPurge(OutboxRepository outbox, InboxRepository inbox, ControllerConfig config, Vertx vertx,
                          Clock clock) {
        this.outbox = outbox;
        this.inbox = inbox;
        this.config = config;
        this.vertx = vertx;
        this.clock = clock;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        purgeAt(clock.instant()).subscribe().with(ignored -> { },
                failure -> Log.warnf("retention purge failed, the next round retries: %s", failure.toString()));
    }

    /** Deletes what is past its retention at {@code now}, in one transaction; completes when committed. */
    public Uni<Void> purgeAt(Instant now) {
        // a fresh context per run: Hibernate Reactive binds its session to the context
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom().emitter(done -> context.runOnContext(ignored -> purge(now)
                .subscribe().with(done::complete, done::fail)));
    }

    private Uni<Void> purge(Instant now) {
        return Panache.withTransaction(() -> outbox.purgePublishedBefore(now.minus(config.outbox().retention()))
                .chain(outboxRows -> inbox.purgeProcessedBefore(now.minus(config.inbox().retention()))
                        .invoke(inboxRows -> {
                            if (outboxRows + inboxRows > 0) {
                                Log.infof("purged %d published outbox rows and %d inbox ids", outboxRows, inboxRows);
                            }
                        })))
                .replaceWithVoid();
    }
}

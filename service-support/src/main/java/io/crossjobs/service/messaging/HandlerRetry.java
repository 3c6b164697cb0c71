package io.crossjobs.service.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * How often an event handler is tried again. A failure because the database (or the network to it) is away is
 * retried until it is back: no event can be handled meanwhile, and setting the event aside would fail its job for an
 * outage that is nobody's bug. Any other failure (a lost race on the inbox key, a bug) gets {@code attempts} more
 * tries; after those the event is parked ({@link IncomingEvents}).
 */
public final class HandlerRetry {
    private final MessagingConfig.Retry policy;

    public HandlerRetry(MessagingConfig.Retry policy) {
        this.policy = policy;
    }

    /** Subscribes to {@code work} again after each failure the policy allows; the last failure passes on. */
    public <T> Uni<T> run(Supplier<Uni<? extends T>> work) {
        AtomicInteger otherFailures = new AtomicInteger();
        return Uni.createFrom().<T>deferred(work)
                .onFailure(f -> isOutage(f) || otherFailures.incrementAndGet() <= policy.attempts())
                .retry().withBackOff(policy.firstBackoff(), policy.maxBackoff()).indefinitely();
    }

    /** The database is unreachable or going away: a dropped or refused connection, a shutdown, a timeout. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof ClosedConnectionException || t instanceof TimeoutException) {
                return true;
            }
            // SQLSTATE class 08 (connection exception) and 57P0x (admin/crash shutdown, cannot connect now)
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P0"))) {
                return true;
            }
        }
        return false;
    }

    /** A policy with fixed figures, for tests and tools outside a Quarkus application. */
    public static MessagingConfig.Retry policy(int attempts, Duration firstBackoff, Duration maxBackoff) {
        return new MessagingConfig.Retry() {
            @Override public int attempts() { return attempts; }
            @Override public Duration firstBackoff() { return firstBackoff; }
            @Override public Duration maxBackoff() { return maxBackoff; }
        };
    }
}

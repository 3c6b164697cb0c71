package io.crossjobs.service;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How often an event handler (job-api's and controller-service's consumers) is tried again. A failure because the database (or the network to it) is away
 * is retried until it is back, for up to {@code outagePatience}: giving up after a few quick retries would nack
 * and stop the whole channel, so that a PostgreSQL restart of a few seconds halted every job for good. Any other
 * failure (a lost race on the inbox key, a bug) gets {@code retries} more tries.
 */
public final class HandlerRetry {
    private final int retries;
    private final Duration outagePatience;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final LongSupplier nanoTime;

    public HandlerRetry(int retries, Duration outagePatience, Duration firstBackoff, Duration maxBackoff,
                 LongSupplier nanoTime) {
        this.retries = retries;
        this.outagePatience = outagePatience;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.nanoTime = nanoTime;
    }

    /** Subscribes to {@code work} again after each failure the policy allows; the last failure passes on. */
    public <T> Uni<T> run(Supplier<Uni<? extends T>> work) {
        AtomicInteger otherFailures = new AtomicInteger();
        long start = nanoTime.getAsLong();
        return Uni.createFrom().<T>deferred(work)
                .onFailure(f -> isOutage(f)
                        ? nanoTime.getAsLong() - start < outagePatience.toNanos()
                        : otherFailures.incrementAndGet() <= retries)
                .retry().withBackOff(firstBackoff, maxBackoff).indefinitely();
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
}

package io.crossjobs.service;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlerRetryTest {
    private final AtomicLong now = new AtomicLong();
    private final HandlerRetry retry = new HandlerRetry(3, Duration.ofMinutes(5), Duration.ofMillis(1),
            Duration.ofMillis(2), now::get);

    /** Fails {@code failures} times with {@code failure} (each try 10 s later on the fake clock), then succeeds. */
    private Uni<String> failing(AtomicInteger tries, int failures, RuntimeException failure) {
        return Uni.createFrom().deferred(() -> {
            now.addAndGet(Duration.ofSeconds(10).toNanos());
            return tries.incrementAndGet() <= failures ? Uni.createFrom().failure(failure)
                    : Uni.createFrom().item("applied");
        });
    }

    @Test
    void aDatabaseRestartLongerThanTheQuickRetriesIsWaitedOut() {
        // a PostgreSQL restart: the pool's connections are refused for a while (here 12 tries, 2 minutes)
        AtomicInteger tries = new AtomicInteger();
        RuntimeException refused = new CompletionException(new ConnectException("Connection refused"));

        String result = retry.run(() -> failing(tries, 12, refused)).await().atMost(Duration.ofSeconds(10));

        assertEquals("applied", result);
        assertEquals(13, tries.get());
    }

    @Test
    void anOutageLongerThanThePatienceStillFails() {
        AtomicInteger tries = new AtomicInteger();
        RuntimeException shutdown = new PgException("terminating connection due to administrator command", "FATAL",
                "57P01", null);

        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> retry.run(() -> failing(tries, 1_000, shutdown)).await().atMost(Duration.ofSeconds(10)));

        assertInstanceOf(PgException.class, failure);
        assertEquals(30, tries.get(), "tries 10 s apart during 5 minutes");
    }

    @Test
    void otherFailuresGetTheQuickRetriesOnly() {
        AtomicInteger tries = new AtomicInteger();

        assertThrows(IllegalStateException.class, () -> retry.run(() -> failing(tries, 1_000,
                new IllegalStateException("a bug"))).await().atMost(Duration.ofSeconds(10)));

        assertEquals(4, tries.get(), "the first try and 3 retries");
    }

    @Test
    void outagesAreConnectionFailuresShutdownsAndTimeouts() {
        assertTrue(HandlerRetry.isOutage(new CompletionException(new ConnectException("refused"))));
        assertTrue(HandlerRetry.isOutage(new PgException("the database system is starting up", "FATAL", "57P03", null)));
        assertTrue(HandlerRetry.isOutage(new PgException("connection failure", "FATAL", "08006", null)));
        assertTrue(HandlerRetry.isOutage(new RuntimeException(new java.util.concurrent.TimeoutException())));
        assertFalse(HandlerRetry.isOutage(new PgException("duplicate key", "ERROR", "23505", null)));
        assertFalse(HandlerRetry.isOutage(new IllegalStateException("a bug")));
    }
}

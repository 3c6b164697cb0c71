package io.crossjobs.service.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandlerRetryTest {
    private final HandlerRetry retry = new HandlerRetry(HandlerRetry.policy(3, Duration.ofMillis(1),
            Duration.ofMillis(2)));

    /** Fails {@code failures} times with {@code failure}, then succeeds. */
    private Uni<String> failing(AtomicInteger tries, int failures, RuntimeException failure) {
        return Uni.createFrom().deferred(() -> {
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
    void anOutageIsWaitedOutHoweverLongItLasts() {
        // an administrator's shutdown, then a long restart: no event can be handled meanwhile, and parking them
        // would fail their jobs for an outage
        AtomicInteger tries = new AtomicInteger();
        RuntimeException shutdown = new PgException("terminating connection due to administrator command", "FATAL",
                "57P01", null);

        String result = retry.run(() -> failing(tries, 500, shutdown)).await().atMost(Duration.ofSeconds(10));

        assertEquals("applied", result);
        assertEquals(501, tries.get());
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

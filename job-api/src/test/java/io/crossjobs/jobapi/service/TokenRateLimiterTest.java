package io.crossjobs.jobapi.service;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstThenTheRefillRateAndTheWaitUntilTheNextCall() {
        AtomicLong now = new AtomicLong(5 * SECOND);
        TokenRateLimiter limiter = new TokenRateLimiter(true, 0.5, 3, now::get);

        for (int i = 0; i < 3; i++) assertEquals(0, limiter.acquire("a"));
        assertEquals(2, limiter.acquire("a"), "one call per 2 s");
        assertEquals(0, limiter.acquire("b"), "buckets are per token");

        now.addAndGet(SECOND);
        assertEquals(1, limiter.acquire("a"));
        now.addAndGet(SECOND);
        assertEquals(0, limiter.acquire("a"));
        assertEquals(2, limiter.acquire("a"));

        now.addAndGet(3600 * SECOND);
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.acquire("a"), "never more than the burst saved up");
        assertEquals(2, limiter.acquire("a"));
    }

    @Test
    void disabledLetsEverythingThrough() {
        TokenRateLimiter limiter = new TokenRateLimiter(false, 0, 0, () -> 0);
        for (int i = 0; i < 1000; i++) assertEquals(0, limiter.acquire("a"));
    }
}

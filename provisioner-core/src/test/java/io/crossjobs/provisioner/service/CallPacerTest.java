package io.crossjobs.provisioner.service;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slots a pacer hands out, on a clock the test moves. */
class CallPacerTest {
    private static final RateBudget RUN = new RateBudget("RunInstances", 5, 2);
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T10:00:00Z"));
    private final CallPacer pacer = new CallPacer(clock);

    @Test
    void aBurstGoesAtOnceThenCallsAreSpacedAtTheRate() {
        for (int i = 0; i < 5; i++) assertEquals(Duration.ZERO, pacer.reserve("us-east-1", RUN, Duration.ZERO));
        assertNull(pacer.reserve("us-east-1", RUN, Duration.ZERO), "the sixth has no free slot now");
        assertEquals(Duration.ofMillis(500), pacer.reserve("us-east-1", RUN, Duration.ofSeconds(10)));
        assertEquals(Duration.ofMillis(1000), pacer.reserve("us-east-1", RUN, Duration.ofSeconds(10)),
                "reserved slots queue");
        assertTrue(free("eu-west-1", RUN), "each region has its own schedule");

        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) assertTrue(free("us-east-1", RUN), "the burst is back after a pause");
        assertFalse(free("us-east-1", RUN));
    }

    @Test
    void aCallThatWouldWaitTooLongReservesNothing() {
        for (int i = 0; i < 5; i++) free("r", RUN);
        assertNull(pacer.reserve("r", RUN, Duration.ofMillis(100)));
        assertEquals(Duration.ofMillis(500), pacer.reserve("r", RUN, Duration.ofSeconds(1)), "the refused one took no slot");
    }

    @Test
    void aThrottleFromTheCloudPausesTheBudget() {
        pacer.throttled("r", RUN, Duration.ofSeconds(3));
        assertFalse(free("r", RUN));
        clock.advance(Duration.ofMillis(2900));
        assertFalse(free("r", RUN));
        clock.advance(Duration.ofMillis(100));
        assertTrue(free("r", RUN));
        assertFalse(free("r", RUN), "no burst right after a throttle");
    }

    @Test
    void turnedOffEveryCallGoesAtOnce() {
        CallPacer off = new CallPacer(clock, false);
        for (int i = 0; i < 50; i++) assertEquals(Duration.ZERO, off.reserve("r", RUN, Duration.ZERO));
    }

    @Test
    void awaitBlocksForItsSlot() {
        CallPacer real = new CallPacer();
        RateBudget fast = new RateBudget("fast", 1, 20);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) assertTrue(real.await("r", fast, Duration.ofSeconds(1)));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(190).toNanos(), "4 intervals of 50 ms");
    }

    /** Takes a slot only if one is free now. */
    private boolean free(String region, RateBudget budget) {
        return pacer.reserve(region, budget, Duration.ZERO) != null;
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) { this.now = start; }

        void advance(Duration d) { now = now.plus(d); }

        @Override
        public Instant instant() { return now; }

        @Override
        public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override
        public Clock withZone(ZoneId zone) { return this; }
    }
}

package io.crossjobs.provisioner.service;

import io.crossjobs.provisioner.config.ProvisionerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps this provisioner's calls within the cloud's documented request limits, so that a burst of work is slowed
 * here instead of being refused by the cloud. One schedule per region and {@link RateBudget}, shared by every call
 * of the process: each call reserves the next free slot (the generic cell rate algorithm: a call may run
 * {@code burst - 1} intervals ahead of the steady rate). A call waits for its slot, or fails as throttled when
 * the slot is further away than it may wait.
 */
@ApplicationScoped
public class CallPacer {
    private final Clock clock;
    private final boolean enabled;
    private final Map<String, Instant> nextSteadySlot = new HashMap<>();

    @Inject
    public CallPacer(ProvisionerConfig config) {
        this(Clock.systemUTC(), config.pacing());
    }

    public CallPacer() {
        this(Clock.systemUTC());
    }

    public CallPacer(Clock clock) {
        this(clock, true);
    }

    /** {@code enabled} false: every call goes at once (see {@link ProvisionerConfig#pacing()}). */
    public CallPacer(Clock clock, boolean enabled) {
        this.clock = clock;
        this.enabled = enabled;
    }

    /**
     * Reserves a slot and blocks until it comes. Returns false, reserving nothing, when the slot is further away than
     * {@code maxWait}: the caller then fails the call as throttled.
     */
    public boolean await(String region, RateBudget budget, Duration maxWait) {
        Duration wait = reserve(region, budget, maxWait);
        if (wait == null) return false;
        if (!wait.isZero()) sleep(wait);
        return true;
    }

    /** As {@link #await}, throwing {@link HeldBackException} when no slot comes within {@code maxWait}. */
    public void acquire(String region, RateBudget budget, Duration maxWait) {
        if (!await(region, budget, maxWait)) throw new HeldBackException(region, budget);
    }

    /**
     * The cloud throttled a call of {@code budget} anyway (another client shares the account): no call of it goes
     * for {@code pause}, and then the burst is spent.
     */
    public void throttled(String region, RateBudget budget, Duration pause) {
        if (!enabled) return;
        Instant until = clock.instant().plus(pause).plus(tolerance(budget));
        synchronized (nextSteadySlot) {
            nextSteadySlot.merge(key(region, budget), until, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /**
     * Reserves the next slot without waiting for it, for callers that wait without blocking a thread (a reactive
     * pipeline delays the call instead). Returns the wait until the slot, or null when that would exceed
     * {@code maxWait}, and then nothing is reserved.
     */
    public Duration reserve(String region, RateBudget budget, Duration maxWait) {
        if (!enabled) return Duration.ZERO;
        Instant now = clock.instant();
        Duration interval = interval(budget);
        Duration tolerance = tolerance(budget);
        String key = key(region, budget);
        synchronized (nextSteadySlot) {
            Instant steady = nextSteadySlot.getOrDefault(key, now);
            if (steady.isBefore(now)) steady = now;
            Instant earliest = steady.minus(tolerance);
            Duration wait = earliest.isAfter(now) ? Duration.between(now, earliest) : Duration.ZERO;
            if (wait.compareTo(maxWait) > 0) return null;
            nextSteadySlot.put(key, steady.plus(interval));
            return wait;
        }
    }

    private static Duration interval(RateBudget budget) {
        return Duration.ofNanos((long) Math.ceil(1e9 / budget.perSecond()));
    }

    /** How far ahead of the steady rate a call may go: the burst. */
    private static Duration tolerance(RateBudget budget) {
        return interval(budget).multipliedBy(budget.burst() - 1L);
    }

    private static String key(String region, RateBudget budget) {
        return region + "|" + budget.name();
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

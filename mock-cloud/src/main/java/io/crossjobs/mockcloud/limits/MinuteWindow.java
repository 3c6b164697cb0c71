package io.crossjobs.mockcloud.limits;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Compute Engine's rate quota: at most {@code limit} calls per one-minute window, windows synchronised to the
 * minute (a quota hit at 10:00:15 refills at 10:01:00). Not thread-safe: the {@link ApiRateLimiter} serialises.
 */
final class MinuteWindow implements Budget {
    private final long limit;
    private Instant window;
    private long used;

    MinuteWindow(long limit) {
        this.limit = limit;
    }

    private void roll(Instant now) {
        Instant current = now.truncatedTo(ChronoUnit.MINUTES);
        if (!current.equals(window)) {
            window = current;
            used = 0;
        }
    }

    @Override
    public Duration waitFor(int units, Instant now) {
        roll(now);
        if (used + units <= limit) return Duration.ZERO;
        return Duration.between(now, window.plus(1, ChronoUnit.MINUTES));
    }

    @Override
    public void take(int units, Instant now) {
        roll(now);
        used += units;
    }

    @Override
    public long remaining(Instant now) {
        roll(now);
        return Math.max(0, limit - used);
    }
}

package io.crossjobs.mockcloud.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * The token bucket EC2 and Azure Resource Manager describe: it holds up to {@code capacity} tokens, starts full,
 * refills continuously at {@code refillPerSecond}, and each call (or unit) takes one. Not thread-safe: the
 * {@link ApiRateLimiter} serialises access.
 */
final class TokenBucket implements Budget {
    private final double capacity;
    private final double refillPerSecond;
    private double tokens;
    private Instant last;

    TokenBucket(double capacity, double refillPerSecond, Instant now) {
        this.capacity = capacity;
        this.refillPerSecond = refillPerSecond;
        this.tokens = capacity;
        this.last = now;
    }

    private void refill(Instant now) {
        if (now.isAfter(last)) {
            double seconds = Duration.between(last, now).toNanos() / 1e9;
            tokens = Math.min(capacity, tokens + seconds * refillPerSecond);
            last = now;
        }
    }

    @Override
    public Duration waitFor(int units, Instant now) {
        refill(now);
        double missing = units - tokens;
        if (missing <= 0) return Duration.ZERO;
        if (units > capacity || refillPerSecond <= 0) return Duration.ofDays(1);
        return Duration.ofNanos((long) Math.ceil(missing / refillPerSecond * 1e9));
    }

    @Override
    public void take(int units, Instant now) {
        refill(now);
        tokens -= units;
    }

    @Override
    public long remaining(Instant now) {
        refill(now);
        return (long) Math.floor(tokens);
    }
}

package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.config.RateLimitConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per API token (keyed by the token's hash, never its value), in memory: each replica limits
 * on its own. A bucket that has refilled completely holds no information and is dropped when the map grows.
 */
@ApplicationScoped
public class TokenRateLimiter {
    private static final int PRUNE_ABOVE = 10_000;

    private final boolean enabled;
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public TokenRateLimiter(RateLimitConfig config) {
        this(config.enabled(), config.requestsPerSecond(), config.burst(), System::nanoTime);
    }

    public TokenRateLimiter(boolean enabled, double requestsPerSecond, int burst, LongSupplier nanoClock) {
        if (enabled && (requestsPerSecond <= 0 || burst < 1)) {
            throw new IllegalArgumentException("jobapi.rate-limit: requests-per-second must be > 0 and burst >= 1");
        }
        this.enabled = enabled;
        this.perNano = requestsPerSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** 0 when the call may proceed (and is counted); otherwise the whole seconds to wait before the next one. */
    public long acquire(String tokenHash) {
        if (!enabled) return 0;
        long now = nanoClock.getAsLong();
        if (buckets.size() > PRUNE_ABOVE) buckets.values().removeIf(b -> b.fullAt(now, perNano, burst));
        return buckets.computeIfAbsent(tokenHash, k -> new Bucket(burst, now)).take(now, perNano, burst);
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized long take(long now, double perNano, double burst) {
            refill(now, perNano, burst);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }

        synchronized boolean fullAt(long now, double perNano, double burst) {
            refill(now, perNano, burst);
            return tokens >= burst;
        }

        private void refill(long now, double perNano, double burst) {
            tokens = Math.min(burst, tokens + (now - at) * perNano);
            at = now;
        }
    }
}

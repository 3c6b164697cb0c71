package io.crossjobs.provisioner.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Skips a region's polls for a growing while after the cloud throttled or failed the list call: the poll interval,
 * doubling with each failure up to {@code max}.
 */
public final class RegionBackoff {
    private final Duration base;
    private final Duration max;
    private final Map<String, Pause> pauses = new ConcurrentHashMap<>();

    private record Pause(int failures, Instant until) { }

    public RegionBackoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    public boolean allows(String region, Instant now) {
        Pause p = pauses.get(region);
        return p == null || !now.isBefore(p.until());
    }

    public Duration failed(String region, Instant now) {
        Pause p = pauses.merge(region, new Pause(1, now.plus(base)), (old, fresh) -> {
            int failures = old.failures() + 1;
            Duration wait = base.multipliedBy(1L << Math.min(failures, 10));
            return new Pause(failures, now.plus(wait.compareTo(max) > 0 ? max : wait));
        });
        return Duration.between(now, p.until());
    }

    public void succeeded(String region) {
        pauses.remove(region);
    }
}

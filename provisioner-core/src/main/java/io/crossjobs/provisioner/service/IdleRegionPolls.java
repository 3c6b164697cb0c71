package io.crossjobs.provisioner.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a region without a live cluster of this process is listed again. Such a region can only hold clusters the
 * process does not know of (made behind its back, or launched before its start), so it is listed once per interval
 * rather than on every poll: list calls count against the cloud's request limits (Azure's List VMs, for one, refills
 * 300 a minute per subscription), and a cluster found there is watched, and polled as often as any, from then on.
 * A region never listed yet is due at once, so a restarted process finds what it had at its first poll.
 */
public final class IdleRegionPolls {
    private final Duration interval;
    private final Map<String, Instant> listedAt = new ConcurrentHashMap<>();

    public IdleRegionPolls(Duration interval) {
        this.interval = interval;
    }

    public boolean due(String region, Instant now) {
        Instant last = listedAt.get(region);
        return last == null || !now.isBefore(last.plus(interval));
    }

    public void listed(String region, Instant now) {
        listedAt.put(region, now);
    }
}

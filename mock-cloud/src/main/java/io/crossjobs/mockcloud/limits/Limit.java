package io.crossjobs.mockcloud.limits;

import java.time.Instant;

/**
 * One documented API limit: the name the cloud reports it by, what it is counted per, and its size, either a
 * token bucket ({@code capacity} refilled at {@code refillPerSecond}) or a per-minute window of {@code capacity}.
 * A limit that {@code countsUnits} takes the call's units (e.g. instances launched) instead of one per call.
 */
record Limit(String name, Per per, double capacity, double refillPerSecond, boolean minuteWindow,
             boolean countsUnits) {

    /** What one counter is kept for. */
    enum Per { ACCOUNT, REGION, RESOURCE }

    static Limit bucket(String name, Per per, double capacity, double refillPerSecond) {
        return new Limit(name, per, capacity, refillPerSecond, false, false);
    }

    static Limit perMinute(String name, Per per, long limit) {
        return new Limit(name, per, limit, limit / 60.0, true, false);
    }

    Limit countingUnits() {
        return new Limit(name, per, capacity, refillPerSecond, minuteWindow, true);
    }

    Budget newBudget(Instant now) {
        return minuteWindow ? new MinuteWindow((long) capacity) : new TokenBucket(capacity, refillPerSecond, now);
    }
}

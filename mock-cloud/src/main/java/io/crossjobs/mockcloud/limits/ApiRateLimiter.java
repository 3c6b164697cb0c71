package io.crossjobs.mockcloud.limits;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.SimulatedFault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The clouds' request limits, counted for every API call the front ends serve: a call is admitted only when every
 * limit it counts against has room, and then takes from all of them; otherwise nothing is taken and the call gets
 * its cloud's throttling error. Thread-safe.
 */
public final class ApiRateLimiter {
    /** The action an EC2 front end counts a DescribeInstances with neither a filter nor pagination as. */
    public static final String EC2_UNFILTERED_DESCRIBE = Ec2RateRules.UNFILTERED_DESCRIBE;
    private final Clock clock;
    private final Map<Cloud, CloudRateRules> rules = new EnumMap<>(Cloud.class);
    private final Map<String, Budget> budgets = new HashMap<>();
    private final Map<String, CallCount> counts = new java.util.TreeMap<>();

    /** Calls of one action served and refused, for the benchmark's calls per job. */
    public record CallCount(String cloud, String action, long admitted, long throttled) {
        CallCount plus(boolean admittedNow) {
            return new CallCount(cloud, action, admitted + (admittedNow ? 1 : 0), throttled + (admittedNow ? 0 : 1));
        }
    }

    /** Enforces the limits of {@code enforced} clouds; calls to the others are always admitted. */
    public ApiRateLimiter(Clock clock, Set<Cloud> enforced) {
        this.clock = clock;
        if (enforced.contains(Cloud.AWS)) rules.put(Cloud.AWS, new Ec2RateRules());
        if (enforced.contains(Cloud.GCP)) rules.put(Cloud.GCP, new GceRateRules());
        if (enforced.contains(Cloud.AZURE)) rules.put(Cloud.AZURE, new ArmRateRules());
    }

    /** Counts calls and enforces nothing: for unit tests of a front end's other behaviours. */
    public static ApiRateLimiter countingOnly(Clock clock) {
        return new ApiRateLimiter(clock, Set.of());
    }

    public static ApiRateLimiter of(Clock clock, ApiLimitsConfig config) {
        Set<Cloud> enforced = new java.util.HashSet<>();
        if (config.aws()) enforced.add(Cloud.AWS);
        if (config.gcp()) enforced.add(Cloud.GCP);
        if (config.azure()) enforced.add(Cloud.AZURE);
        return new ApiRateLimiter(clock, enforced);
    }

    /**
     * The cloud's throttling error for {@code call}, or null when it is admitted. Every call is counted, also
     * of a cloud whose limits are off.
     */
    public SimulatedFault admit(ApiCall call) {
        CloudRateRules cloud = rules.get(call.cloud());
        Instant now = clock.instant();
        List<Limit> limits = cloud == null ? List.of() : cloud.limitsOf(call);
        synchronized (budgets) {
            List<Budget> counted = new ArrayList<>(limits.size());
            for (Limit limit : limits) {
                Budget budget = budgets.computeIfAbsent(key(call, limit), k -> limit.newBudget(now));
                Duration wait = budget.waitFor(units(call, limit), now);
                if (!wait.isZero()) {
                    count(call, false);
                    return cloud.throttled(call, limit, wait);
                }
                counted.add(budget);
            }
            for (int i = 0; i < limits.size(); i++) counted.get(i).take(units(call, limits.get(i)), now);
            count(call, true);
        }
        return null;
    }

    private void count(ApiCall call, boolean admitted) {
        counts.compute(call.cloud().id() + "|" + call.action(), (k, c) ->
                (c == null ? new CallCount(call.cloud().id(), call.action(), 0, 0) : c).plus(admitted));
    }

    /** Calls served and refused so far, by cloud and action. */
    public List<CallCount> calls() {
        synchronized (budgets) {
            return List.copyOf(counts.values());
        }
    }

    /** Forgets every count and refills every limit (the admin reset). */
    public void reset() {
        synchronized (budgets) {
            budgets.clear();
            counts.clear();
        }
    }

    private static int units(ApiCall call, Limit limit) {
        return limit.countsUnits() ? call.units() : 1;
    }

    private static String key(ApiCall call, Limit limit) {
        String where = switch (limit.per()) {
            case ACCOUNT -> "";
            case REGION -> String.valueOf(call.region());
            case RESOURCE -> call.region() + "/" + call.resource();
        };
        return call.cloud().id() + "|" + limit.name() + "|" + where;
    }
}

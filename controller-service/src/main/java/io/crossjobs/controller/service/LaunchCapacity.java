package io.crossjobs.controller.service;

import io.crossjobs.controller.model.LaunchesInFlight;
import io.crossjobs.controller.model.LaunchesInFlight.Region;
import io.crossjobs.events.Placement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How many launches may be in flight (jobs STARTING) at once in one region of one cloud, and where a job launches
 * now. A cloud starts instances in a region at a documented rate, and a launch holds its place from the
 * LaunchCluster command until its cluster is up; rate × that time launches in flight keep the region busy at its
 * rate, and any more would only queue in the provisioner's pacing while another region or cloud of the job's
 * candidates could start them. Pure: the counts come in, a choice goes out.
 */
public final class LaunchCapacity {

    /**
     * How long a launch holds its place when nothing queues it. No cloud documents a figure (n/f); on EC2 the
     * RunInstances answer (4.8 s) and pending → running (17.8 s) took 22.6 s (obs., three m7i.large launches,
     * brevdev/ec2-coldboot-research docs/cold-baseline-results.md), and 40 launches in 22.6 s is 1.8 a second,
     * the rate the provisioner paces RunInstances at (90% of 2/s).
     */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(20);

    /** Instances a region of each cloud starts per second, from the cloud's documented limits. */
    static final Map<String, Double> LAUNCHES_PER_SECOND = Map.of(
            // RunInstances: its request bucket and its resource bucket both refill 2 a second, per account and
            // Region (docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html)
            "aws", 2.0,
            // at most 20 instances a second created from images or disks through the CLI or REST
            // (cloud.google.com/compute/docs/instances/creating-and-starting-an-instance; its scope is not stated);
            // the write requests rate quota per region is looser, 1,500 a minute (cloud.google.com/compute/docs/
            // api-rate-limits, earlier version; the current one gives no default)
            "gcp", 20.0,
            // Compute's Put/Update/Delete VM policy per subscription and region: 500 a minute, bucket 1,500
            // (learn.microsoft.com/azure/virtual-machines/compute-throttling-limits), tighter in one region than
            // Resource Manager's writes, 10 a second per subscription (learn.microsoft.com/azure/
            // azure-resource-manager/management/request-limits-and-throttling)
            "azure", 500 / 60.0);

    /** The documented rates over {@link #DEFAULT_HOLD}: aws 40, gcp 400, azure 167 per region. */
    public static final LaunchCapacity DOCUMENTED = new LaunchCapacity(DEFAULT_HOLD, Map.of());

    private final Duration hold;
    private final Map<String, Integer> overrides;

    /**
     * @param hold      how long a launch holds its place when nothing queues it
     * @param overrides launches in flight allowed in each region, keyed by cloud ({@code aws}) or by one region
     *                  ({@code aws/us-east-1}); they win over rate × hold
     */
    public LaunchCapacity(Duration hold, Map<String, Integer> overrides) {
        if (hold.isNegative() || hold.isZero()) throw new IllegalArgumentException("hold must be positive: " + hold);
        Map<String, Integer> byKey = new HashMap<>();
        overrides.forEach((key, limit) -> {
            if (limit == null || limit < 1) {
                throw new IllegalArgumentException("launches in flight for " + key + " must be at least 1: " + limit);
            }
            byKey.put(normalized(key), limit);
        });
        this.hold = hold;
        this.overrides = Map.copyOf(byKey);
    }

    /** Launches allowed in flight in {@code region}; empty: no bound (a cloud with no figure and no override). */
    public OptionalInt limit(Region region) {
        Integer override = overrides.get(region.toString());
        if (override == null) override = overrides.get(region.cloud());
        if (override != null) return OptionalInt.of(override);
        Double perSecond = LAUNCHES_PER_SECOND.get(region.cloud());
        return perSecond == null ? OptionalInt.empty() : OptionalInt.of(overHold(perSecond));
    }

    /** Launches started at {@code perSecond} while one holds its place: rounded up, at least 1. */
    private int overHold(double perSecond) {
        return (int) Math.max(1, Math.ceil(perSecond * hold.toMillis() / 1000.0));
    }

    /**
     * The first of {@code candidates} (the optimizer's order: cheapest first, or the user's preference) whose region
     * has room, with the full regions passed over for it; none has room: the job waits.
     */
    public LaunchChoice choose(List<Placement> candidates, LaunchesInFlight inFlight) {
        List<LaunchChoice.FullRegion> full = new ArrayList<>();
        List<Region> seen = new ArrayList<>();
        for (Placement candidate : candidates) {
            Region region = Region.of(candidate);
            if (seen.contains(region)) continue;
            int launching = inFlight.in(region);
            OptionalInt limit = limit(region);
            if (limit.isEmpty() || launching < limit.getAsInt()) return new LaunchChoice(candidate, full);
            full.add(new LaunchChoice.FullRegion(region, launching, limit.getAsInt()));
            seen.add(region);
        }
        return new LaunchChoice(null, full);
    }

    /** {@code aws 40, azure 167, gcp 400 (documented rates over 20s); set: aws/us-east-1 80}. */
    @Override
    public String toString() {
        String documented = LAUNCHES_PER_SECOND.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + overHold(e.getValue())).collect(java.util.stream.Collectors.joining(", "));
        String set = overrides.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
        return documented + " (documented rates over " + hold.toSeconds() + "s)" + (set.isEmpty() ? "" : "; set: " + set);
    }

    /** {@code AWS/us-east-1} → {@code aws/us-east-1}: the cloud in lower case, as regions are keyed. */
    private static String normalized(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key.toLowerCase(Locale.ROOT)
                : key.substring(0, slash).toLowerCase(Locale.ROOT) + key.substring(slash);
    }
}

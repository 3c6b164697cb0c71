package io.crossjobs.controller.model;

import io.crossjobs.events.Placement;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The launches in flight (jobs STARTING) per region of each cloud, as the launch scheduler counted them in the
 * database at the start of its scan; the scan adds each launch it makes, so its later choices see them.
 */
public final class LaunchesInFlight {

    /** One region of one cloud; the cloud in lower case. */
    public record Region(String cloud, String region) {
        public Region {
            cloud = cloud == null ? null : cloud.toLowerCase(Locale.ROOT);
        }

        public static Region of(Placement p) {
            return new Region(p.cloud(), p.region());
        }

        @Override
        public String toString() {
            return cloud + "/" + region;
        }
    }

    private final Map<Region, Integer> counts;
    private int total;

    private LaunchesInFlight(Map<Region, Integer> counts) {
        this.counts = new HashMap<>(counts);
        this.total = counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public static LaunchesInFlight of(Map<Region, Integer> counts) {
        return new LaunchesInFlight(counts);
    }

    public static LaunchesInFlight none() {
        return new LaunchesInFlight(Map.of());
    }

    public int in(Region region) {
        return counts.getOrDefault(region, 0);
    }

    public int total() {
        return total;
    }

    /** A launch this scan made. */
    public void add(Placement placement) {
        counts.merge(Region.of(placement), 1, Integer::sum);
        total++;
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}

package io.crossjobs.jobapi.cost;

import io.crossjobs.catalog.Offer;
import io.crossjobs.catalog.PriceCatalog;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The jobs' part of the cost report: a line per job, a line per owner, and the spot advice. No I/O. */
final class JobCosts {
    private static final String UNKNOWN_OWNER = "(unknown)";

    /** The cheapest spot offer of each instance type on each cloud, keyed {@code cloud/instanceType}. */
    private final Map<String, Offer> cheapestSpot;

    JobCosts(PriceCatalog catalog) {
        this.cheapestSpot = catalog.offers().stream().filter(Offer::sellsSpot).collect(Collectors.toMap(
                o -> key(o.cloud(), o.instanceType()), o -> o,
                (a, b) -> b.spotPrice() < a.spotPrice() ? b : a));   // ties keep catalog order
    }

    static CostReport.JobCost line(JobCostRow j, CostReport.Egress egress, Instant now) {
        return new CostReport.JobCost(j.publicId(), j.name(), j.owner(), j.status() == null ? null : j.status().name(),
                j.cloud(), j.region(), j.instanceType(), j.spot(), j.pricePerHour(), Money.round(j.costAt(now)), egress);
    }

    /** Costliest owner first (ties by name, so the order does not change between calls). */
    static List<CostReport.OwnerCost> owners(List<CostReport.JobCost> lines) {
        Map<String, List<CostReport.JobCost>> byOwner = lines.stream().collect(Collectors.groupingBy(
                j -> j.owner() == null ? UNKNOWN_OWNER : j.owner(), LinkedHashMap::new, Collectors.toList()));
        return byOwner.entrySet().stream()
                .map(e -> new CostReport.OwnerCost(e.getKey(), e.getValue().size(),
                        Money.round(e.getValue().stream().mapToDouble(CostReport.JobCost::cost).sum()),
                        egressCost(e.getValue())))
                .sorted(Comparator.comparingDouble(CostReport.OwnerCost::cost).reversed()
                        .thenComparing(CostReport.OwnerCost::owner))
                .toList();
    }

    static double egressCost(List<CostReport.JobCost> lines) {
        return Money.round(lines.stream().mapToDouble(j -> j.egress().cost()).sum());
    }

    /**
     * On-demand jobs priced at the cheapest spot offer of the same instance type on their cloud: "these N jobs
     * would have cost X% less on spot in cloud/region" (the region that is cheapest for most of them). Only when
     * that saves at least a cent.
     */
    Optional<CostReport.Suggestion> useSpot(List<JobCostRow> jobs, Instant now) {
        double onDemand = 0;
        double onSpot = 0;
        int count = 0;
        Map<String, Integer> bestRegions = new LinkedHashMap<>();
        for (JobCostRow j : jobs) {
            double cost = j.costAt(now);
            if (!Boolean.FALSE.equals(j.spot()) || j.pricePerHour() == null || j.pricePerHour() <= 0 || cost <= 0) {
                continue;
            }
            Offer spot = cheapestSpot.get(key(j.cloud(), j.instanceType()));
            if (spot == null) continue;
            count++;
            onDemand += cost;
            onSpot += cost * spot.spotPrice() / j.pricePerHour();
            bestRegions.merge(spot.cloud() + "/" + spot.region(), 1, Integer::sum);
        }
        if (count == 0 || onDemand - onSpot < Money.MIN_SAVING_USD) return Optional.empty();
        int percent = (int) Math.round(100 * (1 - onSpot / onDemand));
        String region = bestRegions.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow();
        return Optional.of(new CostReport.Suggestion("USE_SPOT", "these " + count + " on-demand jobs would have cost "
                + percent + "% less on spot in " + region + " ($" + Money.format(onSpot) + " instead of $"
                + Money.format(onDemand) + "); set use_spot: true where the job can be preempted (it is recovered "
                + "automatically)", Money.round(onDemand - onSpot), percent));
    }

    private static String key(String cloud, String instanceType) {
        return cloud + "/" + instanceType;
    }
}

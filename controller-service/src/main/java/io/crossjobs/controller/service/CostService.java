package io.crossjobs.controller.service;

import io.crossjobs.controller.model.ControllerPlacement;
import io.crossjobs.controller.model.CostReport;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.Offer;
import io.crossjobs.controller.model.PlacementPlan;
import io.crossjobs.controller.repository.LifecycleStore;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Resources;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The cost report: each job's accrued cost (its price × the time it ran, spot or on-demand), per owner, the
 * controller's own cost (the cheapest catalog instance that fits its cpus/memory at its effective placement),
 * and suggestions.
 */
@ApplicationScoped
public class CostService {
    private static final double MIN_SAVING_USD = 0.01;
    /** A controller without live jobs for less than this is between jobs, not idle. */
    private static final Duration IDLE_AFTER = Duration.ofHours(1);
    private final LifecycleStore jobs;
    private final ControllerPlacementService controller;
    private final PriceCatalog catalog;
    private final Optimizer optimizer;
    private final Clock clock;

    public CostService(LifecycleStore jobs, ControllerPlacementService controller, PriceCatalog catalog,
                       Optimizer optimizer, Clock clock) {
        this.jobs = jobs;
        this.controller = controller;
        this.catalog = catalog;
        this.optimizer = optimizer;
        this.clock = clock;
    }

    public Uni<CostReport> report() {
        return controller.effective().chain(placement ->
                jobs.allJobs().map(all -> report(all, placement, clock.instant())));
    }

    CostReport report(List<ManagedJob> all, ControllerPlacement placement, Instant now) {
        List<CostReport.JobCost> perJob = all.stream().map(j -> jobCost(j, now)).toList();
        Map<String, List<CostReport.JobCost>> byOwner = perJob.stream().collect(Collectors.groupingBy(
                j -> j.owner() == null ? "(unknown)" : j.owner(), LinkedHashMap::new, Collectors.toList()));
        List<CostReport.OwnerCost> owners = byOwner.entrySet().stream()
                .map(e -> new CostReport.OwnerCost(e.getKey(), e.getValue().size(),
                        round(e.getValue().stream().mapToDouble(CostReport.JobCost::cost).sum())))
                .sorted(Comparator.comparingDouble(CostReport.OwnerCost::cost).reversed()).toList();
        CostReport.ControllerCost controllerCost = controllerCost(placement);
        List<CostReport.Suggestion> suggestions = new ArrayList<>();
        spotSuggestion(all, now).ifPresent(suggestions::add);
        idleSuggestion(all, controllerCost, now).ifPresent(suggestions::add);
        return new CostReport(now, round(perJob.stream().mapToDouble(CostReport.JobCost::cost).sum()), perJob, owners,
                controllerCost, suggestions);
    }

    private static CostReport.JobCost jobCost(ManagedJob j, Instant now) {
        Placement p = j.placement();
        return new CostReport.JobCost(j.id(), j.name(), j.owner(), j.status().name(), p == null ? null : p.cloud(),
                p == null ? null : p.region(), p == null ? null : p.instanceType(), p == null ? null : p.spot(),
                p == null ? null : p.pricePerHour(), round(j.costSoFar(now)));
    }

    /** The cheapest on-demand instance fitting the controller's size at its effective cloud/region. */
    CostReport.ControllerCost controllerCost(ControllerPlacement c) {
        PlacementPlan plan = optimizer.plan(new Resources(c.cloud(), c.region(), null, null, c.cpus(), c.memory(), null,
                false, null), List.of());
        Placement p = plan.cheapest().orElse(null);
        double perHour = p == null ? 0 : p.pricePerHour();
        return new CostReport.ControllerCost(c.cloud(), c.region(), c.cpus(), c.memory(),
                p == null ? null : p.instanceType(), perHour, round(perHour * 24));
    }

    /**
     * On-demand jobs priced at the cheapest spot offer of the same instance type on their cloud: "these N jobs
     * would have cost X% less on spot in cloud/region" (the region that is cheapest for most of them).
     */
    private Optional<CostReport.Suggestion> spotSuggestion(List<ManagedJob> all, Instant now) {
        double onDemand = 0;
        double onSpot = 0;
        int count = 0;
        Map<String, Integer> bestRegions = new LinkedHashMap<>();
        for (ManagedJob j : all) {
            Placement p = j.placement();
            double cost = j.costSoFar(now);
            if (p == null || p.spot() || cost <= 0 || p.pricePerHour() <= 0) continue;
            Optional<Offer> cheapestSpot = catalog.offers().stream()
                    .filter(o -> o.cloud().equals(p.cloud()) && o.instanceType().equals(p.instanceType()) && o.sellsSpot())
                    .min(Comparator.comparingDouble(Offer::spotPrice));
            if (cheapestSpot.isEmpty()) continue;
            count++;
            onDemand += cost;
            onSpot += cost * cheapestSpot.get().spotPrice() / p.pricePerHour();
            bestRegions.merge(p.cloud() + "/" + cheapestSpot.get().region(), 1, Integer::sum);
        }
        // below a cent the advice is noise (jobs of seconds on the local stack)
        if (count == 0 || onDemand - onSpot < MIN_SAVING_USD) return Optional.empty();
        int percent = (int) Math.round(100 * (1 - onSpot / onDemand));
        String region = bestRegions.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow();
        return Optional.of(new CostReport.Suggestion("USE_SPOT", "these " + count + " on-demand jobs would have cost "
                + percent + "% less on spot in " + region + " ($" + money(onSpot) + " instead of $" + money(onDemand)
                + "); set use_spot: true where the job can be preempted (it is recovered automatically)",
                round(onDemand - onSpot), percent));
    }

    /** No live job: the controller costs money for nothing; name the cheapest placement that would fit it. */
    private Optional<CostReport.Suggestion> idleSuggestion(List<ManagedJob> all, CostReport.ControllerCost c,
                                                           Instant now) {
        if (all.stream().anyMatch(j -> !j.status().isTerminal())) return Optional.empty();
        Instant lastActivity = all.stream().map(ManagedJob::updatedAt).filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(null);
        if (lastActivity != null && Duration.between(lastActivity, now).compareTo(IDLE_AFTER) < 0) return Optional.empty();
        String idle = lastActivity == null ? "idle (no job yet)"
                : "idle for " + Duration.between(lastActivity, now).toHours() + " h";
        PlacementPlan cheapest = optimizer.plan(new Resources(null, null, null, null, c.cpus(), c.memory(), null, false,
                null), List.of());
        String cheaper = cheapest.cheapest().filter(p -> p.pricePerHour() < c.usdPerHour())
                .map(p -> "; the cheapest fitting placement is " + p.cloud() + "/" + p.region() + " " + p.instanceType()
                        + " at $" + money(p.pricePerHour() * 24) + "/day (POST /controller/migrate)")
                .orElse("");
        return Optional.of(new CostReport.Suggestion("IDLE_CONTROLLER", "controller " + idle + " on " + c.cloud() + "/"
                + c.region() + " (" + c.instanceType() + ") costs $" + money(c.usdPerDay()) + "/day" + cheaper,
                c.usdPerDay(), null));
    }

    /** Micro-dollars: a job that ran for seconds costs a few of them, and must not read as free. */
    static double round(double usd) {
        return Math.round(usd * 1_000_000d) / 1_000_000d;
    }

    private static String money(double usd) {
        return String.format(java.util.Locale.ROOT, usd >= 0.01 ? "%.2f" : "%.6f", usd);
    }

}

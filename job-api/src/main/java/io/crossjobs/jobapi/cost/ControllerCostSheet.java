package io.crossjobs.jobapi.cost;

import io.crossjobs.catalog.Offer;
import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.events.Placement;
import io.crossjobs.jobapi.controller.ControllerBilling;
import io.crossjobs.jobapi.controller.ControllerOffers;
import io.crossjobs.jobapi.controller.ControllerVmPeriod;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The controller's part of the cost report: what its VMs have cost, placement by placement, and the advice about
 * it (idle; a cheaper place to live). No I/O.
 */
final class ControllerCostSheet {
    /** A controller without live jobs for less than this is between jobs, not idle. */
    static final Duration IDLE_AFTER = Duration.ofHours(1);
    private static final Comparator<ControllerVmPeriod> OLDEST_FIRST = Comparator
            .comparing(ControllerVmPeriod::launchedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(ControllerVmPeriod::generation);

    private final Optimizer optimizer;
    /** Every cloud of the catalog, in catalog order: the places a controller may be moved to. */
    private final List<String> clouds;

    ControllerCostSheet(PriceCatalog catalog, Optimizer optimizer) {
        this.optimizer = optimizer;
        this.clouds = catalog.offers().stream().map(Offer::cloud).distinct().toList();
    }

    /**
     * The section {@code controller}: where it is placed, and the live VM's figures (the newest VM's when none
     * lives: what it ran on last). Before it ever had a VM, the price is the cheapest on-demand offer that fits
     * its size where it is placed, which is what it will be launched on.
     */
    CostReport.ControllerCost section(ControllerBilling billing, Instant now) {
        List<ControllerVmPeriod> vms = oldestFirst(billing);
        ControllerVmPeriod current = live(vms, now).or(() -> vms.stream().reduce((a, b) -> b)).orElse(null);
        String cloud = billing.cloud() != null ? billing.cloud() : current == null ? null : current.cloud();
        String region = billing.region() != null ? billing.region() : current == null ? null : current.region();
        String instanceType;
        double perHour;
        if (current != null) {
            instanceType = current.instanceType();
            perHour = current.pricePerHour();
        } else {
            Placement estimate = cloud == null ? null : cheapestFit(billing, cloud, region).orElse(null);
            instanceType = estimate == null ? null : estimate.instanceType();
            perHour = estimate == null ? 0 : estimate.pricePerHour();
        }
        List<CostReport.VmCost> vmCosts = vms.stream().map(vm -> vmCost(vm, now)).toList();
        return new CostReport.ControllerCost(cloud, region, current == null ? null : current.zone(), billing.cpus(),
                billing.memory(), instanceType, perHour, Money.round(perHour * 24),
                Money.round(vms.stream().mapToDouble(vm -> vm.cost(now)).sum()), vmCosts, periods(vms, now));
    }

    /**
     * No job has been live for an hour while a controller VM runs: it costs money for nothing. Idle since the last
     * status change of any job, or since the VM was launched if that is later (a VM up for ten minutes has not
     * been idle for ten hours). A stopped controller costs nothing, so there is no advice then.
     */
    Optional<CostReport.Suggestion> idle(ControllerBilling billing, JobActivity activity, Instant now) {
        Optional<ControllerVmPeriod> live = live(oldestFirst(billing), now);
        if (live.isEmpty() || activity.liveJobs() > 0) return Optional.empty();
        ControllerVmPeriod vm = live.get();
        Instant since = activity.lastStatusChange() == null || activity.lastStatusChange().isBefore(vm.launchedAt())
                ? vm.launchedAt() : activity.lastStatusChange();
        Duration idleFor = Duration.between(since, now);
        if (idleFor.compareTo(IDLE_AFTER) < 0) return Optional.empty();
        double perDay = vm.pricePerHour() * 24;
        String idle = activity.lastStatusChange() == null ? "idle (no job yet)" : "idle for " + idleFor.toHours() + " h";
        String cheaper = cheapestFit(billing, null, null).filter(p -> p.pricePerHour() < vm.pricePerHour())
                .map(p -> "; the cheapest fitting placement is " + p.cloud() + "/" + p.region() + " "
                        + p.instanceType() + " at $" + Money.format(p.pricePerHour() * 24) + "/day ("
                        + migrate(p) + ")")
                .orElse("");
        return Optional.of(new CostReport.Suggestion("IDLE_CONTROLLER", "controller " + idle + " on " + vm.cloud()
                + "/" + vm.region() + " (" + vm.instanceType() + ") costs $" + Money.format(perDay) + "/day"
                + cheaper, Money.round(perDay), null));
    }

    /**
     * Where should the controller live? For its size, the cheapest fitting on-demand offer on each cloud, against
     * what it costs where it runs ({@code section}'s price). Only when a place in another cloud/region saves at
     * least a cent a day: moving within its region would not change what it runs on.
     */
    Optional<CostReport.Suggestion> placement(ControllerBilling billing, CostReport.ControllerCost section) {
        if (section.cloud() == null || section.usdPerHour() <= 0) return Optional.empty();
        List<Placement> perCloud = clouds.stream().map(c -> cheapestFit(billing, c, null)).flatMap(Optional::stream)
                .sorted(Comparator.comparingDouble(Placement::pricePerHour)).toList();
        if (perCloud.isEmpty()) return Optional.empty();
        Placement best = perCloud.get(0);
        double savingPerDay = (section.usdPerHour() - best.pricePerHour()) * 24;
        boolean elsewhere = !best.cloud().equalsIgnoreCase(section.cloud()) || !best.region().equals(section.region());
        if (!elsewhere || savingPerDay < Money.MIN_SAVING_USD) return Optional.empty();
        int percent = (int) Math.round(100 * savingPerDay / (section.usdPerHour() * 24));
        String options = perCloud.stream().map(p -> p.cloud() + "/" + p.region() + " " + p.instanceType() + " $"
                + Money.format(p.pricePerHour() * 24) + "/day").collect(Collectors.joining(", "));
        return Optional.of(new CostReport.Suggestion("CONTROLLER_PLACEMENT", "the controller (" + size(billing)
                + ") costs $" + Money.format(section.usdPerDay()) + "/day on " + section.cloud() + "/"
                + section.region() + " (" + section.instanceType() + "); the cheapest fitting on-demand offer per cloud: "
                + options + "; moving it to " + best.cloud() + "/" + best.region() + " saves $"
                + Money.format(savingPerDay) + "/day: " + migrate(best), Money.round(savingPerDay), percent));
    }

    private static List<ControllerVmPeriod> oldestFirst(ControllerBilling billing) {
        return billing.vms().stream().sorted(OLDEST_FIRST).toList();
    }

    /** The newest VM alive at {@code now}; during a migration the old one may still be ending. */
    private static Optional<ControllerVmPeriod> live(List<ControllerVmPeriod> oldestFirst, Instant now) {
        return oldestFirst.stream().filter(vm -> vm.endedAt() == null || vm.endedAt().isAfter(now))
                .reduce((a, b) -> b);
    }

    private static CostReport.VmCost vmCost(ControllerVmPeriod vm, Instant now) {
        return new CostReport.VmCost(vm.clusterName(), vm.generation(), vm.cloud(), vm.region(), vm.zone(),
                vm.instanceType(), vm.instanceId(), vm.pricePerHour(), vm.launchedAt(), vm.endedAt(),
                Money.round(vm.hours(now)), Money.round(vm.cost(now)));
    }

    /** Consecutive VMs on the same cloud/region are one placement (a replaced VM does not move the controller). */
    static List<CostReport.Period> periods(List<ControllerVmPeriod> oldestFirst, Instant now) {
        List<CostReport.Period> periods = new ArrayList<>();
        List<ControllerVmPeriod> run = new ArrayList<>();
        for (ControllerVmPeriod vm : oldestFirst) {
            if (!run.isEmpty() && !samePlace(run.get(0), vm)) {
                periods.add(period(run, now));
                run.clear();
            }
            run.add(vm);
        }
        if (!run.isEmpty()) periods.add(period(run, now));
        return periods;
    }

    private static boolean samePlace(ControllerVmPeriod a, ControllerVmPeriod b) {
        return Objects.equals(a.cloud(), b.cloud()) && Objects.equals(a.region(), b.region());
    }

    private static CostReport.Period period(List<ControllerVmPeriod> run, Instant now) {
        boolean alive = run.stream().anyMatch(vm -> vm.endedAt() == null || vm.endedAt().isAfter(now));
        Instant to = alive ? null : run.stream().map(ControllerVmPeriod::endedAt).max(Instant::compareTo).orElse(null);
        return new CostReport.Period(run.get(0).cloud(), run.get(0).region(), run.get(0).launchedAt(), to, run.size(),
                Money.round(run.stream().mapToDouble(vm -> vm.cost(now)).sum()));
    }

    /** The cheapest on-demand catalog offer fitting the controller's cpus/memory; null cloud/region: anywhere. */
    private Optional<Placement> cheapestFit(ControllerBilling billing, String cloud, String region) {
        return ControllerOffers.plan(optimizer, cloud, region, billing.cpus(), billing.memory()).cheapest();
    }

    private static String size(ControllerBilling billing) {
        return "cpus " + (billing.cpus() == null ? "any" : billing.cpus()) + ", memory "
                + (billing.memory() == null ? "any" : billing.memory() + " GiB");
    }

    private static String migrate(Placement p) {
        return "crossjobs controller migrate --cloud " + p.cloud() + " --region " + p.region();
    }
}

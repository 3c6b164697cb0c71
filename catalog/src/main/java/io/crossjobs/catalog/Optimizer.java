package io.crossjobs.catalog;

import io.crossjobs.events.Accelerator;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Resources;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Chooses where a task runs: every catalog offer that satisfies the task's resources and is not blocked,
 * cheapest first (equal prices keep catalog order). No I/O, no state: the same question gets the same answer.
 */
public final class Optimizer {

    private final PriceCatalog catalog;

    public Optimizer(PriceCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The feasible placements for {@code resources}, cheapest first. {@code ordered} alternatives are tried in the
     * user's order (the first with an open placement wins); {@code anyOf} alternatives are pooled and the cheapest
     * wins; accelerators are a set (cheapest of any) or, with {@code acceleratorsInOrder}, a preference order.
     * After a preference order's winning choice come its later feasible choices, each cheapest first, so a caller
     * that cannot use the first candidates (their region's launch capacity is full) falls to the next choice.
     */
    public PlacementPlan plan(Resources resources, List<BlockedScope> blocklist) {
        Resources r = resources == null ? Resources.builder().build() : resources;
        List<BlockedScope> blocks = blocklist == null ? List.of() : blocklist;
        if (!r.ordered().isEmpty()) return planOrdered(r, blocks);
        if (!r.anyOf().isEmpty()) return planAnyOf(r, blocks);
        return planAccelerators(r, blocks);
    }

    private PlacementPlan planOrdered(Resources base, List<BlockedScope> blocks) {
        int n = base.ordered().size();
        List<PlacementPlan> plans = new ArrayList<>();
        for (Resources alternative : base.ordered()) plans.add(planAccelerators(merge(base, alternative), blocks));
        return inPreferenceOrder(plans, "later alternatives",
                i -> "ordered alternative " + (i + 1) + " of " + n + (i == 0 ? "" : " (earlier ones infeasible)"),
                i -> "#" + (i + 1), "none of " + n + " ordered alternatives is feasible: ");
    }

    /**
     * The first feasible plan of {@code plans} (the user's preference order) gives the placement and the reason,
     * named by {@code chosen}; the later feasible plans' candidates follow its own, each plan cheapest first (a
     * placement counts once). None feasible: {@code noneFeasible} and each plan's reason, named by {@code failed}.
     */
    private static PlacementPlan inPreferenceOrder(List<PlacementPlan> plans, String later, IntFunction<String> chosen,
                                                   IntFunction<String> failed, String noneFeasible) {
        List<String> why = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            PlacementPlan plan = plans.get(i);
            if (!plan.feasible()) {
                why.add(failed.apply(i) + ": " + plan.reason());
                continue;
            }
            List<Placement> candidates = new ArrayList<>(plan.candidates());
            for (PlacementPlan next : plans.subList(i + 1, plans.size())) {
                for (Placement p : next.candidates()) if (!candidates.contains(p)) candidates.add(p);
            }
            int more = candidates.size() - plan.candidates().size();
            return new PlacementPlan(candidates, chosen.apply(i) + ": " + plan.reason()
                    + (more > 0 ? "; then " + more + " candidates of " + later : ""));
        }
        return new PlacementPlan(List.of(), noneFeasible + String.join(" | ", why));
    }

    private PlacementPlan planAnyOf(Resources base, List<BlockedScope> blocks) {
        List<Placement> pooled = new ArrayList<>();
        List<String> why = new ArrayList<>();
        int n = base.anyOf().size();
        for (int i = 0; i < n; i++) {
            PlacementPlan plan = planAccelerators(merge(base, base.anyOf().get(i)), blocks);
            if (!plan.feasible()) why.add("#" + (i + 1) + ": " + plan.reason());
            for (Placement p : plan.candidates()) {
                if (!pooled.contains(p)) pooled.add(p);   // alternatives may overlap; a placement counts once
            }
        }
        if (pooled.isEmpty()) {
            return new PlacementPlan(List.of(), "none of " + n + " any_of alternatives is feasible: "
                    + String.join(" | ", why));
        }
        pooled.sort(Comparator.comparingDouble(Placement::pricePerHour));
        return new PlacementPlan(pooled, "cheapest of " + pooled.size() + " candidates across " + n
                + " any_of alternatives: " + describe(pooled.get(0)));
    }

    private PlacementPlan planAccelerators(Resources r, List<BlockedScope> blocks) {
        List<Accelerator> accelerators;
        try {
            accelerators = r.accelerators().stream().filter(a -> a != null && !a.isBlank()).map(Accelerator::parse)
                    .toList();
        } catch (IllegalArgumentException e) {
            return new PlacementPlan(List.of(), "invalid resources: " + e.getMessage());
        }
        if (!r.acceleratorsInOrder() || accelerators.size() < 2) return planOne(r, accelerators, blocks, "");
        int n = accelerators.size();
        List<PlacementPlan> plans = new ArrayList<>();
        for (Accelerator a : accelerators) plans.add(planOne(r, List.of(a), blocks, ""));
        return inPreferenceOrder(plans, "later accelerators",
                i -> "accelerator " + accelerators.get(i) + " (choice " + (i + 1) + " of " + n + ")",
                i -> accelerators.get(i).toString(), "no accelerator in the preference order is feasible: ");
    }

    private PlacementPlan planOne(Resources r, List<Accelerator> accelerators, List<BlockedScope> blocks,
                                  String prefix) {
        Requirement cpus;
        Requirement memory;
        try {
            cpus = Requirement.parse("cpus", r.cpus());
            memory = Requirement.parse("memory", r.memory());
        } catch (IllegalArgumentException e) {
            return new PlacementPlan(List.of(), "invalid resources: " + e.getMessage());
        }
        boolean spot = r.spot();

        List<Offer> matching = catalog.offers().stream()
                .filter(o -> any(r.cloud()) || o.cloud().equalsIgnoreCase(r.cloud()))
                .filter(o -> any(r.region()) || o.region().equals(r.region()))
                .filter(o -> any(r.zone()) || o.zone().equals(r.zone()))
                .filter(o -> r.instanceType() == null || o.instanceType().equals(r.instanceType()))
                .filter(o -> cpus.accepts(o.vcpus()))
                .filter(o -> memory.accepts(o.memoryGib()))
                // no accelerators asked for: GPU types are not offered (SkyPilot does the same)
                .filter(o -> accelerators.isEmpty() ? o.accelerator() == null
                        : accelerators.stream().anyMatch(a -> a.equals(o.accelerator())))
                .filter(o -> !spot || o.sellsSpot())
                .toList();
        if (matching.isEmpty()) {
            return new PlacementPlan(List.of(), prefix + "no offer in the catalog matches " + describe(r, accelerators)
                    + " (" + catalog.size() + " offers searched)");
        }

        List<Offer> open = new ArrayList<>(matching.stream().filter(o -> blocks.stream().noneMatch(b -> b.blocks(o))).toList());
        if (open.isEmpty()) {
            return new PlacementPlan(List.of(), prefix + "all " + matching.size() + " offers matching "
                    + describe(r, accelerators) + " are blocked: " + BlockedScope.describeAll(blocks));
        }
        open.sort(Comparator.comparingDouble(o -> o.price(spot)));   // stable: ties keep catalog order
        int disk = r.diskSizeGb() == null ? Resources.DEFAULT_DISK_SIZE_GB : r.diskSizeGb();
        List<Placement> candidates = open.stream().map(o -> o.toPlacement(spot, disk)).toList();
        int blocked = matching.size() - open.size();
        String reason = prefix + "cheapest of " + candidates.size() + " candidates: " + describe(candidates.get(0))
                + (blocked > 0 ? " (" + blocked + " blocked)" : "");
        return new PlacementPlan(candidates, reason);
    }

    /** SkyPilot's {@code infra: aws/*}: a wildcard (or nothing) means any. */
    private static boolean any(String value) {
        return value == null || value.isBlank() || value.equals("*");
    }

    /** An alternative inherits what it leaves unsaid from the task's resources. */
    static Resources merge(Resources base, Resources alt) {
        if (alt == null) return base;
        boolean altAccelerators = !alt.accelerators().isEmpty();
        return Resources.builder()
                .cloud(alt.cloud() != null ? alt.cloud() : base.cloud())
                .region(alt.region() != null ? alt.region() : base.region())
                .zone(alt.zone() != null ? alt.zone() : base.zone())
                .instanceType(alt.instanceType() != null ? alt.instanceType() : base.instanceType())
                .cpus(alt.cpus() != null ? alt.cpus() : base.cpus())
                .memory(alt.memory() != null ? alt.memory() : base.memory())
                .accelerators(altAccelerators ? alt.accelerators() : base.accelerators())
                .acceleratorsInOrder(altAccelerators ? alt.acceleratorsInOrder() : base.acceleratorsInOrder())
                .useSpot(alt.useSpot() != null ? alt.useSpot() : base.useSpot())
                .diskSizeGb(alt.diskSizeGb() != null ? alt.diskSizeGb() : base.diskSizeGb())
                .jobRecovery(base.jobRecovery())
                .build();
    }

    /** {@code aws/us-east-1/us-east-1a m6i.large on-demand $0.096/h}, {@code ... n1-standard-8+T4:2 spot ...}. */
    public static String describe(Placement p) {
        return p.cloud() + "/" + p.region() + "/" + p.zone() + " " + p.instanceType()
                + (p.accelerator() == null ? "" : "+" + p.accelerator())
                + (p.spot() ? " spot $" : " on-demand $") + money(p.pricePerHour()) + "/h";
    }

    static String money(double usd) {
        return BigDecimal.valueOf(usd).stripTrailingZeros().toPlainString();
    }

    private static String describe(Resources r, List<Accelerator> accelerators) {
        List<String> parts = new ArrayList<>();
        if (!any(r.cloud())) parts.add("cloud=" + r.cloud());
        if (!any(r.region())) parts.add("region=" + r.region());
        if (!any(r.zone())) parts.add("zone=" + r.zone());
        if (r.instanceType() != null) parts.add("instance_type=" + r.instanceType());
        if (r.cpus() != null) parts.add("cpus=" + r.cpus());
        if (r.memory() != null) parts.add("memory=" + r.memory());
        if (!accelerators.isEmpty()) {
            parts.add("accelerators=" + accelerators.stream().map(Accelerator::toString).collect(Collectors.joining("|")));
        }
        if (r.spot()) parts.add("use_spot=true");
        return parts.isEmpty() ? "any resources" : String.join(", ", parts);
    }

    /** SkyPilot's notation for cpus and memory: {@code N} exactly, {@code N+} at least; null means any. */
    record Requirement(double amount, boolean atLeast) {
        static final Requirement ANY = new Requirement(0, true);

        static Requirement parse(String field, String spec) {
            if (spec == null || spec.isBlank()) return ANY;
            String s = spec.strip();
            boolean atLeast = s.endsWith("+");
            String number = atLeast ? s.substring(0, s.length() - 1).strip() : s;
            try {
                double amount = Double.parseDouble(number);
                if (amount < 0 || Double.isNaN(amount) || Double.isInfinite(amount)) throw new NumberFormatException();
                return new Requirement(amount, atLeast);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " '" + spec + "' is not N or N+");
            }
        }

        boolean accepts(double offered) {
            return atLeast ? offered >= amount : offered == amount;
        }
    }
}

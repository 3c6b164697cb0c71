package io.crossjobs.controller.service;

import io.crossjobs.controller.model.BlockedScope;
import io.crossjobs.controller.model.Offer;
import io.crossjobs.controller.model.PlacementPlan;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Resources;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Chooses where a task runs: every catalog offer that satisfies the task's resources and is not blocked,
 * cheapest first (equal prices keep catalog order). No I/O, no state: the same question gets the same answer.
 */
public final class Optimizer {
    private static final int BLOCKS_NAMED_IN_REASON = 5;

    private final PriceCatalog catalog;

    public Optimizer(PriceCatalog catalog) {
        this.catalog = catalog;
    }

    public PlacementPlan plan(Resources resources, List<BlockedScope> blocklist) {
        Resources r = resources == null ? new Resources(null, null, null, null, null, null, null, null, null) : resources;
        Requirement cpus;
        Requirement memory;
        List<AcceleratorRequest> accelerators;
        try {
            cpus = Requirement.parse("cpus", r.cpus());
            memory = Requirement.parse("memory", r.memory());
            accelerators = AcceleratorRequest.parseAll(r.accelerators());
        } catch (IllegalArgumentException e) {
            return new PlacementPlan(List.of(), "invalid resources: " + e.getMessage());
        }
        boolean spot = r.spot();

        List<Offer> matching = catalog.offers().stream()
                .filter(o -> r.cloud() == null || o.cloud().equalsIgnoreCase(r.cloud()))
                .filter(o -> r.region() == null || o.region().equals(r.region()))
                .filter(o -> r.zone() == null || o.zone().equals(r.zone()))
                .filter(o -> r.instanceType() == null || o.instanceType().equals(r.instanceType()))
                .filter(o -> cpus.accepts(o.vcpus()))
                .filter(o -> memory.accepts(o.memoryGib()))
                .filter(o -> accelerators.isEmpty() || accelerators.stream().anyMatch(a -> a.accepts(o)))
                .filter(o -> !spot || o.sellsSpot())
                .toList();
        if (matching.isEmpty()) {
            return new PlacementPlan(List.of(), "no offer in the catalog matches " + describe(r)
                    + " (" + catalog.size() + " offers searched)");
        }

        List<BlockedScope> blocks = blocklist == null ? List.of() : blocklist;
        List<Offer> open = new ArrayList<>(matching.stream().filter(o -> blocks.stream().noneMatch(b -> b.blocks(o))).toList());
        if (open.isEmpty()) {
            return new PlacementPlan(List.of(), "all " + matching.size() + " offers matching " + describe(r)
                    + " are blocked: " + describeBlocks(blocks));
        }
        open.sort(Comparator.comparingDouble(o -> o.price(spot)));   // stable: ties keep catalog order
        List<Placement> candidates = open.stream().map(o -> o.toPlacement(spot)).toList();
        int blocked = matching.size() - open.size();
        String reason = "cheapest of " + candidates.size() + " candidates: " + describe(candidates.get(0))
                + (blocked > 0 ? " (" + blocked + " blocked)" : "");
        return new PlacementPlan(candidates, reason);
    }

    /** {@code aws/us-east-1/us-east-1a m6i.large on-demand $0.096/h}. */
    public static String describe(Placement p) {
        return p.cloud() + "/" + p.region() + "/" + p.zone() + " " + p.instanceType()
                + (p.spot() ? " spot $" : " on-demand $") + money(p.pricePerHour()) + "/h";
    }

    static String money(double usd) {
        return BigDecimal.valueOf(usd).stripTrailingZeros().toPlainString();
    }

    static String describeBlocks(List<BlockedScope> blocks) {
        String named = blocks.stream().limit(BLOCKS_NAMED_IN_REASON).map(BlockedScope::describe)
                .collect(Collectors.joining("; "));
        return blocks.size() > BLOCKS_NAMED_IN_REASON ? named + "; and " + (blocks.size() - BLOCKS_NAMED_IN_REASON) + " more" : named;
    }

    private static String describe(Resources r) {
        List<String> parts = new ArrayList<>();
        if (r.cloud() != null) parts.add("cloud=" + r.cloud());
        if (r.region() != null) parts.add("region=" + r.region());
        if (r.zone() != null) parts.add("zone=" + r.zone());
        if (r.instanceType() != null) parts.add("instance_type=" + r.instanceType());
        if (r.cpus() != null) parts.add("cpus=" + r.cpus());
        if (r.memory() != null) parts.add("memory=" + r.memory());
        if (r.accelerators() != null && !r.accelerators().isEmpty()) parts.add("accelerators=" + String.join("|", r.accelerators()));
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

    /** {@code A10G:1}, or {@code A10G} meaning one. */
    record AcceleratorRequest(String name, int count) {
        static List<AcceleratorRequest> parseAll(List<String> specs) {
            if (specs == null) return List.of();
            return specs.stream().filter(s -> s != null && !s.isBlank()).map(AcceleratorRequest::parse).toList();
        }

        static AcceleratorRequest parse(String spec) {
            String[] parts = spec.strip().split(":");
            try {
                int count = parts.length > 1 ? Integer.parseInt(parts[1].strip()) : 1;
                if (parts.length > 2 || parts[0].isBlank() || count < 1) throw new NumberFormatException();
                return new AcceleratorRequest(parts[0].strip().toUpperCase(Locale.ROOT), count);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("accelerator '" + spec + "' is not NAME or NAME:COUNT");
            }
        }

        boolean accepts(Offer o) {
            return o.accelerator() != null && o.accelerator().equalsIgnoreCase(name) && o.acceleratorCount() == count;
        }
    }
}

package io.crossjobs.mockcloud.quotas;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.SimulatedFault;

/**
 * Azure's vCPU quotas per subscription and region, in two tiers that must both hold: Total Regional vCPUs
 * ({@code cores}) and the size's family ({@code standardDSv5Family}, ...); a Spot VM counts in Total Regional
 * Low-priority vCPUs ({@code lowPriorityCores}) instead (docs.microsoft.com/azure/azure-supportability/
 * per-vm-quota-requests, .../regional-quota-requests, .../azure-portal/supportability/low-priority-quota).
 * Metrics are the names of Compute's Usage - List.
 */
final class ArmQuotaRules implements CloudQuotaRules {
    static final String CORES = "cores";
    static final String LOW_PRIORITY = "lowPriorityCores";
    /** The families of the sizes the mock knows whose names do not follow the rule in {@link #family}. */
    private static final Map<String, String> FAMILIES = Map.ofEntries(
            Map.entry("standard_b1ms", "standardBSFamily"), Map.entry("standard_b2ms", "standardBSFamily"),
            Map.entry("standard_b4ms", "standardBSFamily"),
            Map.entry("standard_nc24ads_a100_v4", "StandardNCADSA100v4Family"),
            Map.entry("standard_nd96asr_v4", "standardNDASv4_A100Family"));
    private static final Pattern SIZE = Pattern.compile("Standard_([A-Z]+)\\d+(?:-\\d+)?([a-z]*)(?:_(?!v\\d+$)([A-Z0-9]+))?(?:_(v\\d+))?",
            Pattern.CASE_INSENSITIVE);
    /** A moderately raised subscription: 1,000 vCPUs per region in total, per family and for spot; GPU families 0. */
    static final double CORES_DEFAULT = 1000;

    private final InstanceShapes shapes;

    ArmQuotaRules(InstanceShapes shapes) {
        this.shapes = shapes;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AZURE;
    }

    @Override
    public List<Draw> draws(QuotaSubject vm, ToDoubleBiFunction<String, String> limit) {
        var vcpus = shapes.vcpus(Cloud.AZURE, vm.instanceType());
        if (vcpus.isEmpty()) return List.of();
        String region = vm.region().toLowerCase(Locale.ROOT);
        if (vm.spot()) return List.of(new Draw(region, LOW_PRIORITY, vcpus.getAsInt()));
        String family = family(vm.instanceType());
        List<Draw> out = new ArrayList<>();
        out.add(new Draw(region, CORES, vcpus.getAsInt()));
        if (family != null) out.add(new Draw(region, family, vcpus.getAsInt()));
        return out;
    }

    /**
     * "standard" + series + features in capitals + version + accelerator + "Family": Standard_D4s_v5 →
     * standardDSv5Family, Standard_NC4as_T4_v3 → standardNCASv3_T4Family; a few known sizes differ (table).
     */
    static String family(String size) {
        String known = FAMILIES.get(size.toLowerCase(Locale.ROOT));
        if (known != null) return known;
        Matcher m = SIZE.matcher(size);
        if (!m.matches()) return null;
        String version = m.group(4) == null ? "" : m.group(4).toLowerCase(Locale.ROOT);
        String accelerator = m.group(3) == null ? "" : "_" + m.group(3).toUpperCase(Locale.ROOT);
        return "standard" + m.group(1).toUpperCase(Locale.ROOT) + m.group(2).toUpperCase(Locale.ROOT) + version
                + accelerator + "Family";
    }

    private static boolean gpuFamily(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.startsWith("standardnc") || m.startsWith("standardnd") || m.startsWith("standardnv");
    }

    @Override
    public double defaultLimit(String metric) {
        return gpuFamily(metric) ? 0 : CORES_DEFAULT;
    }

    @Override
    public List<Draw> listed(String region) {
        String r = region.toLowerCase(Locale.ROOT);
        Map<String, Draw> out = new TreeMap<>();
        out.put(" " + CORES, new Draw(r, CORES, 0));
        out.put(" " + LOW_PRIORITY, new Draw(r, LOW_PRIORITY, 0));
        for (String size : KNOWN_SIZES) {
            String family = family(size);
            if (family != null) out.putIfAbsent(family, new Draw(r, family, 0));
        }
        return List.copyOf(out.values());
    }

    /** The sizes of crossjobs' Azure catalog and the B-series, whose families Usage - List shows. */
    private static final List<String> KNOWN_SIZES = List.of("Standard_B2s", "Standard_D2s_v5", "Standard_D2as_v5",
            "Standard_E2s_v5", "Standard_F2s_v2", "Standard_NC4as_T4_v3", "Standard_NC6s_v3",
            "Standard_NC24ads_A100_v4", "Standard_ND96asr_v4");

    @Override
    public String name(String metric) {
        return switch (metric) {
            case CORES -> "Total Regional vCPUs";
            case LOW_PRIORITY -> "Total Regional Low-priority vCPUs";
            default -> metric;
        };
    }

    /**
     * 409 {@code OperationNotAllowed} on the PUT: "Operation could not be completed as it results in exceeding
     * approved Total Regional Cores quota. Additional details - Deployment Model: Resource Manager, Location: ...,
     * Current Limit: N, Current Usage: N, Additional Required: N, (Minimum) New Limit Required: N. ..." (the
     * family's name, or LowPriorityCores, in place of Total Regional Cores).
     */
    @Override
    public SimulatedFault refusal(Shortfall s) {
        String metric = s.draw().metric();
        String quota = switch (metric) {
            case CORES -> "Total Regional Cores";
            case LOW_PRIORITY -> "LowPriorityCores";
            default -> metric + " Cores";
        };
        String page = switch (metric) {
            case CORES -> "regional-quota-requests";
            case LOW_PRIORITY -> "low-priority-quota";
            default -> "per-vm-quota-requests";
        };
        long limit = (long) s.limit();
        long usage = (long) s.usage();
        long required = (long) s.requested();
        return new SimulatedFault("OperationNotAllowed", 409, "Operation could not be completed as it results in"
                + " exceeding approved " + quota + " quota. Additional details - Deployment Model: Resource Manager,"
                + " Location: " + s.subject().region() + ", Current Limit: " + limit + ", Current Usage: " + usage
                + ", Additional Required: " + required + ", (Minimum) New Limit Required: " + (usage + required)
                + ". Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity"
                + "/UsageAndQuota.ReactView by specifying parameters listed in the ‘Details’ section for deployment to"
                + " succeed. Please read more about quota limits at"
                + " https://docs.microsoft.com/en-us/azure/azure-supportability/" + page);
    }
}

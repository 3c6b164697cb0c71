package io.crossjobs.mockcloud.quotas;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.SimulatedFault;

/**
 * Compute Engine's allocation quotas for VMs (cloud.google.com/compute/resource-usage): per project and region,
 * vCPUs in {@code CPUS} (N1, E2, G2 and the shared-core types) or the series' own metric ({@code N2_CPUS},
 * {@code C2_CPUS}, {@code A2_CPUS}, ...), GPUs per model ({@code NVIDIA_T4_GPUS}, ...), plus the global
 * {@code CPUS_ALL_REGIONS} and {@code GPUS_ALL_REGIONS}. A spot (preemptible) VM takes {@code PREEMPTIBLE_CPUS}
 * and {@code PREEMPTIBLE_<GPU>} where that quota is set above 0, else the standard quota.
 */
final class GceQuotaRules implements CloudQuotaRules {
    static final String CPUS = "CPUS";
    static final String PREEMPTIBLE_CPUS = "PREEMPTIBLE_CPUS";
    static final String CPUS_ALL_REGIONS = "CPUS_ALL_REGIONS";
    static final String GPUS_ALL_REGIONS = "GPUS_ALL_REGIONS";
    /** Series with a vCPU quota of their own; every other series counts in CPUS. */
    private static final Set<String> OWN_CPU_METRIC = Set.of("n2", "n2d", "c2", "c2d", "c3", "a2", "m1", "m2", "m3",
            "t2d", "t2a");
    private static final List<String> GPU_METRICS = List.of("NVIDIA_T4_GPUS", "NVIDIA_V100_GPUS",
            "NVIDIA_A100_GPUS", "NVIDIA_A100_80GB_GPUS", "NVIDIA_L4_GPUS", "NVIDIA_P100_GPUS", "NVIDIA_P4_GPUS",
            "NVIDIA_K80_GPUS");
    private static final Pattern A2 = Pattern.compile("a2-(highgpu|megagpu|ultragpu)-(\\d+)g");
    /** G2 types carry 1 L4 up to g2-standard-32, then 2, 4 and 8 (cloud.google.com/compute/docs/gpus). */
    private static final Map<String, Integer> G2_GPUS = Map.of("g2-standard-4", 1, "g2-standard-8", 1,
            "g2-standard-12", 1, "g2-standard-16", 1, "g2-standard-32", 1, "g2-standard-24", 2, "g2-standard-48", 4,
            "g2-standard-96", 8);
    /** A moderately raised project: 1,000 vCPUs per region in every CPU metric, 5,000 over all regions; GPUs 0. */
    static final double CPUS_DEFAULT = 1000;
    static final double CPUS_ALL_REGIONS_DEFAULT = 5000;

    private final InstanceShapes shapes;

    GceQuotaRules(InstanceShapes shapes) {
        this.shapes = shapes;
    }

    @Override
    public Cloud cloud() {
        return Cloud.GCP;
    }

    @Override
    public List<Draw> draws(QuotaSubject vm, ToDoubleBiFunction<String, String> limit) {
        List<Draw> out = new ArrayList<>();
        var vcpus = shapes.vcpus(Cloud.GCP, vm.instanceType());
        if (vcpus.isPresent()) {
            String metric = vm.spot() && limit.applyAsDouble(vm.region(), PREEMPTIBLE_CPUS) > 0 ? PREEMPTIBLE_CPUS
                    : cpuMetric(vm.instanceType());
            out.add(new Draw(vm.region(), metric, vcpus.getAsInt()));
            out.add(new Draw(Draw.GLOBAL, CPUS_ALL_REGIONS, vcpus.getAsInt()));
        }
        String gpu = null;
        int count = 0;
        if (vm.accelerator() != null) {
            gpu = gpuMetric(vm.accelerator());
            count = vm.acceleratorCount();
        } else if (A2.matcher(vm.instanceType()).matches()) {
            Matcher m = A2.matcher(vm.instanceType());
            m.matches();
            gpu = m.group(1).equals("ultragpu") ? "NVIDIA_A100_80GB_GPUS" : "NVIDIA_A100_GPUS";
            count = Integer.parseInt(m.group(2));
        } else if (G2_GPUS.containsKey(vm.instanceType())) {
            gpu = "NVIDIA_L4_GPUS";
            count = G2_GPUS.get(vm.instanceType());
        }
        if (gpu != null && count > 0) {
            String preemptible = "PREEMPTIBLE_" + gpu;
            String metric = vm.spot() && limit.applyAsDouble(vm.region(), preemptible) > 0 ? preemptible : gpu;
            out.add(new Draw(vm.region(), metric, count));
            out.add(new Draw(Draw.GLOBAL, GPUS_ALL_REGIONS, count));
        }
        return out;
    }

    static String cpuMetric(String machineType) {
        int dash = machineType.indexOf('-');
        String series = dash < 0 ? machineType : machineType.substring(0, dash);
        return OWN_CPU_METRIC.contains(series) ? series.toUpperCase(Locale.ROOT) + "_CPUS" : CPUS;
    }

    /** nvidia-tesla-t4 → NVIDIA_T4_GPUS, nvidia-l4 → NVIDIA_L4_GPUS, nvidia-a100-80gb → NVIDIA_A100_80GB_GPUS. */
    static String gpuMetric(String acceleratorType) {
        String model = acceleratorType.toLowerCase(Locale.ROOT).replaceFirst("^nvidia-", "").replaceFirst("^tesla-", "");
        return "NVIDIA_" + model.toUpperCase(Locale.ROOT).replace('-', '_') + "_GPUS";
    }

    @Override
    public double defaultLimit(String metric) {
        if (metric.equals(CPUS_ALL_REGIONS)) return CPUS_ALL_REGIONS_DEFAULT;
        if (metric.equals(PREEMPTIBLE_CPUS)) return 0;
        return metric.endsWith("_CPUS") || metric.equals(CPUS) ? CPUS_DEFAULT : 0;
    }

    @Override
    public List<Draw> listed(String region) {
        List<Draw> out = new ArrayList<>();
        out.add(new Draw(region, CPUS, 0));
        OWN_CPU_METRIC.stream().sorted().forEach(s -> out.add(new Draw(region, s.toUpperCase(Locale.ROOT) + "_CPUS", 0)));
        out.add(new Draw(region, PREEMPTIBLE_CPUS, 0));
        for (String gpu : GPU_METRICS) {
            out.add(new Draw(region, gpu, 0));
            out.add(new Draw(region, "PREEMPTIBLE_" + gpu, 0));
        }
        out.add(new Draw(Draw.GLOBAL, CPUS_ALL_REGIONS, 0));
        out.add(new Draw(Draw.GLOBAL, GPUS_ALL_REGIONS, 0));
        return out;
    }

    /**
     * {@code QUOTA_EXCEEDED} inside the insert operation, {@code httpErrorStatusCode} 403: "Quota 'CPUS' exceeded.
     * Limit: 24.0 in region us-central1." or, for a global quota, "... Limit: 0.0 globally.".
     */
    @Override
    public SimulatedFault refusal(Shortfall s) {
        String where = s.draw().isGlobal() ? "globally" : "in region " + s.draw().scope();
        return new SimulatedFault("QUOTA_EXCEEDED", 403, "Quota '" + s.draw().metric() + "' exceeded.  Limit: "
                + s.limit() + " " + where + ".");
    }
}

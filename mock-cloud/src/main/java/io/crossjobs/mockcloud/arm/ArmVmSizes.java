package io.crossjobs.mockcloud.arm;

import java.util.Set;
import java.util.TreeSet;

/**
 * The VM sizes a PUT may name: every size of crossjobs' Azure catalog (catalog/.../azure.csv), GPU sizes
 * included, plus the small B-series sizes tests and examples use. A GPU size carries its GPUs (NC*, ND*: there
 * is no separate accelerator field in a VM PUT), so knowing the size is knowing the GPUs.
 */
final class ArmVmSizes {
    private static final Set<String> KNOWN = Set.of(
            "Standard_B1s", "Standard_B1ms", "Standard_B2s", "Standard_B2ms", "Standard_B4ms",
            "Standard_D2s_v5", "Standard_D4s_v5", "Standard_D8s_v5", "Standard_D16s_v5",
            "Standard_D2as_v5", "Standard_D4as_v5", "Standard_D8as_v5",
            "Standard_E2s_v5", "Standard_E4s_v5", "Standard_E8s_v5", "Standard_E16s_v5",
            "Standard_F2s_v2", "Standard_F4s_v2", "Standard_F8s_v2", "Standard_F16s_v2",
            // GPU sizes: T4 x1 (NC4as/NC8as/NC16as_T4_v3), T4 x4 (NC64as_T4_v3), V100 x1/x2 (NC6s/NC12s_v3),
            // A100 80GB x1 (NC24ads_A100_v4), A100 x8 (ND96asr_v4)
            "Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3", "Standard_NC16as_T4_v3", "Standard_NC64as_T4_v3",
            "Standard_NC6s_v3", "Standard_NC12s_v3", "Standard_NC24ads_A100_v4", "Standard_ND96asr_v4");

    /** Compared without regard to case, as ARM compares names (for sizes in particular: not documented). */
    static boolean isKnown(String size, Set<String> extra) {
        return KNOWN.stream().anyMatch(size::equalsIgnoreCase) || extra.stream().anyMatch(size::equalsIgnoreCase);
    }

    /** The valid sizes, sorted, for the refusal's message (ARM lists the region's sizes there). */
    static String list(Set<String> extra) {
        Set<String> all = new TreeSet<>(KNOWN);
        all.addAll(extra);
        return String.join(",", all);
    }

    private ArmVmSizes() { }
}

package io.crossjobs.mockcloud.ec2;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

import io.crossjobs.mockcloud.quotas.InstanceShapes;

/** The instance types RunInstances accepts: common current families plus any configured extras. */
public final class Ec2InstanceTypes {
    private static final List<String> BURSTABLE_SIZES =
            List.of("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge");
    private static final List<String> STANDARD_SIZES =
            List.of("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
                    "metal");
    private static final List<String> GRAVITON_SIZES =
            List.of("medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal");
    private static final Pattern ARM = Pattern.compile("^[a-z]+\\d+g[a-z-]*\\..*");

    private final Set<String> known = new HashSet<>();

    public Ec2InstanceTypes(Collection<String> extra) {
        for (String f : List.of("t2", "t3", "t3a", "t4g")) add(f, BURSTABLE_SIZES);
        add("m1", List.of("small", "medium", "large", "xlarge"));
        for (String f : List.of("m5", "m5a", "m5d", "m5n", "m6i", "m6a", "m6id", "m7i", "m7a", "c5a", "c6i",
                "c6a", "c6id", "c7i", "c7a", "r5", "r5a", "r5d", "r6i", "r6a", "r7i", "r7a")) {
            add(f, STANDARD_SIZES);
        }
        add("c5", List.of("large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge",
                "metal"));
        add("c5d", List.of("large", "xlarge", "2xlarge", "4xlarge", "9xlarge", "12xlarge", "18xlarge", "24xlarge",
                "metal"));
        for (String f : List.of("m6g", "m6gd", "m7g", "m7gd", "m8g", "c6g", "c6gd", "c7g", "c7gd", "c8g", "r6g",
                "r6gd", "r7g", "r8g")) {
            add(f, GRAVITON_SIZES);
        }
        add("g4dn", List.of("xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "metal"));
        for (String f : List.of("g5", "g6", "g6e")) {
            add(f, List.of("xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge",
                    "48xlarge"));
        }
        add("p3", List.of("2xlarge", "8xlarge", "16xlarge"));
        known.addAll(List.of("p3dn.24xlarge", "p4d.24xlarge", "p4de.24xlarge", "p5.48xlarge", "p5e.48xlarge"));
        for (String t : extra) {
            if (!t.isBlank()) known.add(t.trim());
        }
    }

    private void add(String family, List<String> sizes) {
        for (String size : sizes) known.add(family + "." + size);
    }

    public boolean isKnown(String type) {
        return known.contains(type);
    }

    /** x86_64, or arm64 for Graviton families (m6g, c7g, t4g, ...). */
    public static String architecture(String type) {
        return ARM.matcher(type).matches() ? "arm64" : "x86_64";
    }

    /** DescribeInstances' {@code cpuOptions}: cores and threads per core, whose product is the type's vCPUs. */
    public record CpuOptions(int coreCount, int threadsPerCore) { }

    /**
     * Graviton (arm64) cores run one thread, Intel and AMD cores two, except types of a single vCPU
     * (docs.aws.amazon.com/ec2/latest/instancetypes: "CPU options" per type); vCPUs as the quotas count them. Empty for
     * a type whose size the name does not tell.
     */
    public static java.util.Optional<CpuOptions> cpuOptions(String type) {
        OptionalInt vcpus = InstanceShapes.ec2(type);
        if (vcpus.isEmpty()) return java.util.Optional.empty();
        int threads = architecture(type).equals("arm64") || vcpus.getAsInt() == 1 ? 1 : 2;
        return java.util.Optional.of(new CpuOptions(vcpus.getAsInt() / threads, threads));
    }
}

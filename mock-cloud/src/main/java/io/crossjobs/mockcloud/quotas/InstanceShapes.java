package io.crossjobs.mockcloud.quotas;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.crossjobs.catalog.Offer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.mockcloud.sim.Cloud;

/**
 * vCPUs per instance type: crossjobs' price catalog first, then the cloud's naming where it tells the count
 * (EC2 sizes, GCE's {@code series-kind-N}, Azure's {@code Standard_<family><N>...}). Empty when neither knows.
 */
public final class InstanceShapes {
    static final List<String> CATALOG = List.of("catalog/aws.csv", "catalog/gcp.csv", "catalog/azure.csv");

    private static final Pattern EC2 = Pattern.compile("([a-z][a-z0-9-]*)\\.(\\d*)(nano|micro|small|medium|large|xlarge|metal)(-\\d+xl)?");
    private static final Pattern GCE_A2 = Pattern.compile("a2-(highgpu|ultragpu|megagpu)-(\\d+)g");
    private static final Pattern GCE_SIZED = Pattern.compile("(?:[a-z0-9]+-)?(?:[a-z]+)-(\\d+)(?:-\\d+)?");
    private static final Pattern ARM = Pattern.compile("Standard_[A-Za-z]+(\\d+)", Pattern.CASE_INSENSITIVE);
    /** EC2 metal sizes: 96 vCPUs, the figure of most x86 metal sizes of the families the mock knows (n/f per type). */
    private static final int EC2_METAL = 96;

    private final Map<String, Integer> catalog = new HashMap<>();
    /** Every type asked about, catalog or name (-1: not known): launches count every VM alive, under a lock. */
    private final Map<String, Integer> seen = new ConcurrentHashMap<>();

    InstanceShapes(List<Offer> offers) {
        for (Offer o : offers) catalog.putIfAbsent(key(o.cloud(), o.instanceType()), (int) Math.round(o.vcpus()));
    }

    static InstanceShapes fromCatalog() {
        return new InstanceShapes(PriceCatalog.fromClasspath(CATALOG).offers());
    }

    OptionalInt vcpus(Cloud cloud, String type) {
        int n = seen.computeIfAbsent(key(cloud.id(), type), k -> {
            Integer known = catalog.get(k);
            if (known != null) return known;
            OptionalInt named = switch (cloud) {
                case AWS -> ec2(type);
                case GCP -> gce(type);
                case AZURE -> arm(type);
            };
            return named.orElse(-1);
        });
        return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** large = 2, xlarge = 4, Nxlarge = 4N; burstable nano..medium as EC2 sizes them (t2: 1 below medium). */
    public static OptionalInt ec2(String type) {
        Matcher m = EC2.matcher(type.toLowerCase(Locale.ROOT));
        if (!m.matches()) return OptionalInt.empty();
        String family = m.group(1);
        boolean burstable = family.startsWith("t");
        return switch (m.group(3)) {
            case "nano", "micro", "small" -> OptionalInt.of(family.equals("t2") || !burstable ? 1 : 2);
            case "medium" -> OptionalInt.of(burstable ? 2 : 1);
            case "large" -> OptionalInt.of(2);
            case "xlarge" -> OptionalInt.of(4 * (m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2))));
            default -> OptionalInt.of(EC2_METAL);
        };
    }

    /** series-kind-N and custom-N-MB are N vCPUs; A2 has 12 per GPU; shared-core types count 1 (f1, g1) or 2 (e2). */
    static OptionalInt gce(String type) {
        Matcher a2 = GCE_A2.matcher(type);
        if (a2.matches()) return OptionalInt.of(12 * Integer.parseInt(a2.group(2)));
        if (type.equals("f1-micro") || type.equals("g1-small")) return OptionalInt.of(1);
        if (type.matches("e2-(micro|small|medium)")) return OptionalInt.of(2);
        Matcher m = GCE_SIZED.matcher(type);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** The first number of the size name is its vCPUs (Standard_D4s_v5: 4; Standard_NC24ads_A100_v4: 24). */
    static OptionalInt arm(String size) {
        Matcher m = ARM.matcher(size);
        return m.lookingAt() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static String key(String cloud, String type) {
        return cloud + "|" + type.toLowerCase(Locale.ROOT);
    }
}

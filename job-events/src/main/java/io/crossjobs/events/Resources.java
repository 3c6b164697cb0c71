package io.crossjobs.events;

import java.util.List;
import java.util.Map;

/**
 * What a task asks of a cloud, as SkyPilot's {@code resources}. Null means "any".
 * {@code cpus} and {@code memory} keep SkyPilot's notation: "4" exactly, "4+" at least.
 * {@code accelerators} are "NAME:COUNT" strings; with {@code acceleratorsInOrder} they are a preference
 * order (SkyPilot's list), otherwise any of them, cheapest first (SkyPilot's set).
 * {@code anyOf} (the optimizer picks the cheapest) and {@code ordered} (tried in the user's order) hold
 * alternative resources; fields left null in an alternative are taken from this one.
 * {@code labels} are SkyPilot's {@code resources.labels}: set on every instance beside crossjobs' own tags (EC2 tags,
 * GCE labels, Azure tags); job-api has checked them against the rules of every cloud the task may run on.
 */
public record Resources(String cloud, String region, String zone, String instanceType,
                        String cpus, String memory, List<String> accelerators, boolean acceleratorsInOrder,
                        Boolean useSpot, Integer diskSizeGb, List<Resources> anyOf, List<Resources> ordered,
                        JobRecovery jobRecovery, Map<String, String> labels) {

    /** Each node's root disk when the task names none, as SkyPilot's {@code disk_size} default. */
    public static final int DEFAULT_DISK_SIZE_GB = 256;

    public Resources {
        accelerators = accelerators == null ? List.of() : List.copyOf(accelerators);
        anyOf = anyOf == null ? List.of() : List.copyOf(anyOf);
        ordered = ordered == null ? List.of() : List.copyOf(ordered);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Without labels. */
    public Resources(String cloud, String region, String zone, String instanceType, String cpus, String memory,
                     List<String> accelerators, boolean acceleratorsInOrder, Boolean useSpot, Integer diskSizeGb,
                     List<Resources> anyOf, List<Resources> ordered, JobRecovery jobRecovery) {
        this(cloud, region, zone, instanceType, cpus, memory, accelerators, acceleratorsInOrder, useSpot, diskSizeGb,
                anyOf, ordered, jobRecovery, null);
    }

    /** Resources with no alternatives (any_of, ordered) and the default recovery. */
    public Resources(String cloud, String region, String zone, String instanceType, String cpus, String memory,
                     List<String> accelerators, Boolean useSpot, Integer diskSizeGb) {
        this(cloud, region, zone, instanceType, cpus, memory, accelerators, false, useSpot, diskSizeGb, null, null,
                null);
    }

    public boolean spot() { return Boolean.TRUE.equals(useSpot); }

    public JobRecovery recovery() { return jobRecovery == null ? JobRecovery.DEFAULT : jobRecovery; }
}

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
 * {@code maxDurationSeconds} is the task's time limit ({@code resources.max_duration}, as dstack's): counted while the job
 * is RUNNING (provisioning excluded), across the task's attempts unless its recovery resets it; null: none.
 * {@code keepOnFailureSeconds}: when the task fails (FAILED or FAILED_SETUP), its cluster is kept that long for
 * debugging before it is terminated ({@code resources.keep_on_failure}); null: terminated at once.
 * {@code labels} are SkyPilot's {@code resources.labels}: set on every instance beside crossjobs' own tags (EC2 tags,
 * GCE labels, Azure tags); job-api has checked them against the rules of every cloud the task may run on.
 *
 * <p>Built by name: {@code Resources.builder().cloud("aws").cpus("4+").useSpot(true).build()}; the canonical
 * constructor is the JSON codec's.
 */
public record Resources(String cloud, String region, String zone, String instanceType,
                        String cpus, String memory, List<String> accelerators, boolean acceleratorsInOrder,
                        Boolean useSpot, Integer diskSizeGb, List<Resources> anyOf, List<Resources> ordered,
                        JobRecovery jobRecovery, Map<String, String> labels, Long maxDurationSeconds,
                        Long keepOnFailureSeconds) {

    /** Each node's root disk when the task names none, as SkyPilot's {@code disk_size} default. */
    public static final int DEFAULT_DISK_SIZE_GB = 256;

    public Resources {
        accelerators = accelerators == null ? List.of() : List.copyOf(accelerators);
        anyOf = anyOf == null ? List.of() : List.copyOf(anyOf);
        ordered = ordered == null ? List.of() : List.copyOf(ordered);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Resources to be named field by field; every field not set is null ("any"), or empty, or false. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these resources' fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder().cloud(cloud).region(region).zone(zone).instanceType(instanceType).cpus(cpus)
                .memory(memory).accelerators(accelerators).acceleratorsInOrder(acceleratorsInOrder).useSpot(useSpot)
                .diskSizeGb(diskSizeGb).anyOf(anyOf).ordered(ordered).jobRecovery(jobRecovery).labels(labels).maxDurationSeconds(maxDurationSeconds)
                .keepOnFailureSeconds(keepOnFailureSeconds);
    }

    /** One method per field, named as the field. */
    public static final class Builder {
        private String cloud;
        private String region;
        private String zone;
        private String instanceType;
        private String cpus;
        private String memory;
        private List<String> accelerators;
        private boolean acceleratorsInOrder;
        private Boolean useSpot;
        private Integer diskSizeGb;
        private List<Resources> anyOf;
        private List<Resources> ordered;
        private JobRecovery jobRecovery;
        private Map<String, String> labels;
        private Long maxDurationSeconds;
        private Long keepOnFailureSeconds;

        private Builder() { }

        public Builder cloud(String cloud) { this.cloud = cloud; return this; }
        public Builder region(String region) { this.region = region; return this; }
        public Builder zone(String zone) { this.zone = zone; return this; }
        public Builder instanceType(String instanceType) { this.instanceType = instanceType; return this; }
        public Builder cpus(String cpus) { this.cpus = cpus; return this; }
        public Builder memory(String memory) { this.memory = memory; return this; }
        public Builder accelerators(List<String> accelerators) { this.accelerators = accelerators; return this; }
        public Builder acceleratorsInOrder(boolean acceleratorsInOrder) {
            this.acceleratorsInOrder = acceleratorsInOrder;
            return this;
        }
        public Builder useSpot(Boolean useSpot) { this.useSpot = useSpot; return this; }
        public Builder diskSizeGb(Integer diskSizeGb) { this.diskSizeGb = diskSizeGb; return this; }
        public Builder anyOf(List<Resources> anyOf) { this.anyOf = anyOf; return this; }
        public Builder ordered(List<Resources> ordered) { this.ordered = ordered; return this; }
        public Builder jobRecovery(JobRecovery jobRecovery) { this.jobRecovery = jobRecovery; return this; }
        public Builder labels(Map<String, String> labels) { this.labels = labels; return this; }
        public Builder maxDurationSeconds(Long maxDurationSeconds) {
            this.maxDurationSeconds = maxDurationSeconds;
            return this;
        }
        public Builder keepOnFailureSeconds(Long keepOnFailureSeconds) {
            this.keepOnFailureSeconds = keepOnFailureSeconds;
            return this;
        }

        public Resources build() {
            return new Resources(cloud, region, zone, instanceType, cpus, memory, accelerators, acceleratorsInOrder,
                    useSpot, diskSizeGb, anyOf, ordered, jobRecovery, labels, maxDurationSeconds,
                    keepOnFailureSeconds);
        }
    }

    public boolean spot() { return Boolean.TRUE.equals(useSpot); }

    public JobRecovery recovery() { return jobRecovery == null ? JobRecovery.DEFAULT : jobRecovery; }
}

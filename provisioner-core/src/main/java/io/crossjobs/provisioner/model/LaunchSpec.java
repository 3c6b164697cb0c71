package io.crossjobs.provisioner.model;

import io.crossjobs.events.Accelerator;
import io.crossjobs.events.Placement;

import java.util.List;
import java.util.Map;

/**
 * What an adapter creates: one instance per rank of {@code cluster} at {@code placement}, rank {@code r} booting
 * {@code startupScripts.get(r)}. The placement's zone may be null (the cloud picks one). {@code labels} are the
 * task's {@code resources.labels}, which the adapter sets on every instance beside crossjobs' own tags (job-api has
 * checked them against the cloud's rules and refused keys crossjobs uses itself).
 */
public record LaunchSpec(ClusterKey cluster, Placement placement, List<String> startupScripts,
                         Map<String, String> labels) {

    public LaunchSpec {
        startupScripts = List.copyOf(startupScripts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Without labels. */
    public LaunchSpec(ClusterKey cluster, Placement placement, List<String> startupScripts) {
        this(cluster, placement, startupScripts, null);
    }

    public int numNodes() { return startupScripts.size(); }

    public String region() { return placement.region(); }

    public String zone() { return placement.zone(); }

    public String instanceType() { return placement.instanceType(); }

    public boolean spot() { return placement.spot(); }

    /** Accelerators to attach to each node; null when the instance type carries its own or there are none. */
    public Accelerator accelerator() { return placement.accelerator(); }

    /** Each node's root disk in GB; null: the image's own size. */
    public Integer diskSizeGb() { return placement.diskSizeGb(); }
}

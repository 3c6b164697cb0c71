package io.crossjobs.provisioner.model;

import io.crossjobs.events.Accelerator;
import io.crossjobs.events.Placement;

import java.util.List;

/**
 * What an adapter creates: one instance per rank of {@code cluster} at {@code placement}, rank {@code r} booting
 * {@code startupScripts.get(r)}. The placement's zone may be null (the cloud picks one).
 */
public record LaunchSpec(ClusterKey cluster, Placement placement, List<String> startupScripts) {

    public LaunchSpec {
        startupScripts = List.copyOf(startupScripts);
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

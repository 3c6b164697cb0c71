package io.crossjobs.provisioner.model;

import java.util.List;

/**
 * What an adapter creates: one instance per rank of {@code cluster}, rank {@code r} booting
 * {@code startupScripts.get(r)}. {@code zone} may be null (the cloud picks one).
 */
public record LaunchSpec(ClusterKey cluster, String region, String zone, String instanceType, boolean spot,
                         List<String> startupScripts) {

    public LaunchSpec {
        startupScripts = List.copyOf(startupScripts);
    }

    public int numNodes() { return startupScripts.size(); }
}

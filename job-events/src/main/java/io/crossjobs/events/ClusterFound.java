package io.crossjobs.events;

import java.time.Instant;
import java.util.List;

/**
 * provisioner → controller: the cloud lists a live crossjobs cluster that this provisioner process did not
 * launch or terminate itself (it restarted, or the instance was made behind its back). The controller answers
 * with {@link TerminateCluster} when the cluster's job is terminal, unknown, or on another attempt; otherwise
 * with nothing. Sent once per cluster and provisioner process.
 */
public record ClusterFound(String jobId, int attempt, String clusterName, String cloud, String region, String zone,
                           List<String> instanceIds, Instant at) implements JobEvent {

    public ClusterFound {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }
}

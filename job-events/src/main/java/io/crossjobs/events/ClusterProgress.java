package io.crossjobs.events;

import java.time.Instant;
import java.util.List;

/** provisioner → controller: the cluster of one attempt reached a state, as read from the cloud. */
public record ClusterProgress(String jobId, int attempt, String clusterName, ClusterState state,
                              String cloud, String region, String zone, List<String> instanceIds,
                              String message, Instant at) implements JobEvent {

    public ClusterProgress {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }
}

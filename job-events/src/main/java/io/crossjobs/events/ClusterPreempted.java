package io.crossjobs.events;

import java.time.Instant;

/** provisioner → controller: the cloud took the cluster away (spot interruption, eviction, lost node). */
public record ClusterPreempted(String jobId, int attempt, String clusterName, String cloud, String region,
                               String zone, String message, Instant at) implements JobEvent {
}

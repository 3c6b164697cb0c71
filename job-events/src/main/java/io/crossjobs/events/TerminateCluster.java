package io.crossjobs.events;

/** controller → provisioner: tear the cluster down. Idempotent: a gone cluster is fine. */
public record TerminateCluster(String jobId, int attempt, String clusterName, String cloud, String region,
                               String reason) implements JobEvent {
}

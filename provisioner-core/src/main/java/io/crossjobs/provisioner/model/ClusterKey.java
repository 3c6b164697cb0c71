package io.crossjobs.provisioner.model;

import io.crossjobs.events.ClusterRole;

/**
 * One launch attempt's cluster, as found on the cloud by its tags. {@code jobId} is a managed job's id or the
 * jobs controller's identity ({@code controller-<id>}); either way an opaque string, never parsed.
 */
public record ClusterKey(String jobId, int attempt, String clusterName) {

    /** What the cluster is for, read from its key; adapters tag every instance with it ({@code crossjobs-role}). */
    public ClusterRole role() { return ClusterRole.of(jobId); }

    @Override
    public String toString() {
        return "job=" + jobId + " attempt=" + attempt + " cluster=" + clusterName;
    }
}

package io.crossjobs.provisioner.model;

/** One launch attempt's cluster, as found on the cloud by its tags. */
public record ClusterKey(String jobId, int attempt, String clusterName) {

    @Override
    public String toString() {
        return "job=" + jobId + " attempt=" + attempt + " cluster=" + clusterName;
    }
}

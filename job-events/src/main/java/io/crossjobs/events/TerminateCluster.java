package io.crossjobs.events;

import java.util.Objects;

/**
 * controller → provisioner: tear the cluster down. Idempotent: a gone cluster is fine.
 *
 * <p>Built by name: {@code TerminateCluster.of(jobId).attempt(1).clusterName("cj-42-1").cloud("aws")...build()};
 * the canonical constructor is the JSON codec's.
 */
public record TerminateCluster(String jobId, int attempt, String clusterName, String cloud, String region,
                               String reason) implements JobEvent {
    /** The teardown of a cluster of job {@code jobId}; every field not set is null or 0. */
    public static Builder of(String jobId) {
        return new Builder(jobId);
    }

    /** One method per field, named as the field. */
    public static final class Builder {
        private final String jobId;
        private int attempt;
        private String clusterName;
        private String cloud;
        private String region;
        private String reason;

        private Builder(String jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
        }

        public Builder attempt(int attempt) { this.attempt = attempt; return this; }
        public Builder clusterName(String clusterName) { this.clusterName = clusterName; return this; }
        public Builder cloud(String cloud) { this.cloud = cloud; return this; }
        public Builder region(String region) { this.region = region; return this; }
        public Builder reason(String reason) { this.reason = reason; return this; }

        public TerminateCluster build() {
            return new TerminateCluster(jobId, attempt, clusterName, cloud, region, reason);
        }
    }
}

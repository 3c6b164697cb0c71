package io.crossjobs.events;

import java.time.Instant;
import java.util.Objects;

/**
 * provisioner → controller: the cloud took the cluster away (spot interruption, eviction, lost node).
 *
 * <p>Built by name: {@code ClusterPreempted.of(jobId).attempt(1).clusterName("cj-42-1").cloud("aws")...build()};
 * the canonical constructor is the JSON codec's.
 */
public record ClusterPreempted(String jobId, int attempt, String clusterName, String cloud, String region,
                               String zone, String message, Instant at) implements JobEvent {
    /** The preemption of a cluster of job {@code jobId}; every field not set is null or 0. */
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
        private String zone;
        private String message;
        private Instant at;

        private Builder(String jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
        }

        public Builder attempt(int attempt) { this.attempt = attempt; return this; }
        public Builder clusterName(String clusterName) { this.clusterName = clusterName; return this; }
        public Builder cloud(String cloud) { this.cloud = cloud; return this; }
        public Builder region(String region) { this.region = region; return this; }
        public Builder zone(String zone) { this.zone = zone; return this; }
        public Builder message(String message) { this.message = message; return this; }
        public Builder at(Instant at) { this.at = at; return this; }

        public ClusterPreempted build() {
            return new ClusterPreempted(jobId, attempt, clusterName, cloud, region, zone, message, at);
        }
    }
}

package io.crossjobs.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * provisioner → controller: the cluster of one attempt reached a state, as read from the cloud.
 *
 * <p>Built by name: {@code ClusterProgress.of(jobId).attempt(1).clusterName("cj-42-1").state(RUNNING)...build()};
 * the canonical constructor is the JSON codec's.
 */
public record ClusterProgress(String jobId, int attempt, String clusterName, ClusterState state,
                              String cloud, String region, String zone, List<String> instanceIds,
                              String message, Instant at) implements JobEvent {

    public ClusterProgress {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }

    /** The progress of a cluster of job {@code jobId}; every field not set is null or 0. */
    public static Builder of(String jobId) {
        return new Builder(jobId);
    }

    /** One method per field, named as the field. {@link #build()} needs {@code state}. */
    public static final class Builder {
        private final String jobId;
        private int attempt;
        private String clusterName;
        private ClusterState state;
        private String cloud;
        private String region;
        private String zone;
        private List<String> instanceIds;
        private String message;
        private Instant at;

        private Builder(String jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
        }

        public Builder attempt(int attempt) { this.attempt = attempt; return this; }
        public Builder clusterName(String clusterName) { this.clusterName = clusterName; return this; }
        public Builder state(ClusterState state) { this.state = state; return this; }
        public Builder cloud(String cloud) { this.cloud = cloud; return this; }
        public Builder region(String region) { this.region = region; return this; }
        public Builder zone(String zone) { this.zone = zone; return this; }
        public Builder instanceIds(List<String> instanceIds) { this.instanceIds = instanceIds; return this; }
        public Builder message(String message) { this.message = message; return this; }
        public Builder at(Instant at) { this.at = at; return this; }

        public ClusterProgress build() {
            Objects.requireNonNull(state, "state");
            return new ClusterProgress(jobId, attempt, clusterName, state, cloud, region, zone, instanceIds, message,
                    at);
        }
    }
}

package io.crossjobs.events;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * provisioner → controller: the cloud lists a live crossjobs cluster that this provisioner process did not
 * launch or terminate itself (it restarted, or the instance was made behind its back). The controller answers
 * with {@link TerminateCluster} when the cluster's job is terminal, unknown, or on another attempt; otherwise
 * with nothing. Sent once per cluster and provisioner process.
 *
 * <p>Built by name: {@code ClusterFound.of(jobId).attempt(1).clusterName("cj-42-1").cloud("aws")...build()};
 * the canonical constructor is the JSON codec's.
 */
public record ClusterFound(String jobId, int attempt, String clusterName, String cloud, String region, String zone,
                           List<String> instanceIds, Instant at) implements JobEvent {

    public ClusterFound {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }

    /** A cluster of job {@code jobId} found live; every field not set is null or 0. */
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
        private List<String> instanceIds;
        private Instant at;

        private Builder(String jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
        }

        public Builder attempt(int attempt) { this.attempt = attempt; return this; }
        public Builder clusterName(String clusterName) { this.clusterName = clusterName; return this; }
        public Builder cloud(String cloud) { this.cloud = cloud; return this; }
        public Builder region(String region) { this.region = region; return this; }
        public Builder zone(String zone) { this.zone = zone; return this; }
        public Builder instanceIds(List<String> instanceIds) { this.instanceIds = instanceIds; return this; }
        public Builder at(Instant at) { this.at = at; return this; }

        public ClusterFound build() {
            return new ClusterFound(jobId, attempt, clusterName, cloud, region, zone, instanceIds, at);
        }
    }
}

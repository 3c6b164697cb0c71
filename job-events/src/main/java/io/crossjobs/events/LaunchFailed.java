package io.crossjobs.events;

import java.time.Instant;
import java.util.Objects;

/**
 * provisioner → controller: the cloud refused the launch; the error is classified once, by the adapter.
 *
 * <p>Built by name: {@code LaunchFailed.of(jobId).attempt(1).cloud("aws").errorClass(CAPACITY)...build()};
 * the canonical constructor is the JSON codec's.
 */
public record LaunchFailed(String jobId, int attempt, String clusterName, String cloud, String region, String zone,
                           ErrorClass errorClass, BlockScope scope, String errorCode, String message, Instant at)
        implements JobEvent {
    /** The failed launch of a cluster of job {@code jobId}; every field not set is null or 0. */
    public static Builder of(String jobId) {
        return new Builder(jobId);
    }

    /** One method per field, named as the field. {@link #build()} needs {@code errorClass}. */
    public static final class Builder {
        private final String jobId;
        private int attempt;
        private String clusterName;
        private String cloud;
        private String region;
        private String zone;
        private ErrorClass errorClass;
        private BlockScope scope;
        private String errorCode;
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
        public Builder errorClass(ErrorClass errorClass) { this.errorClass = errorClass; return this; }
        public Builder scope(BlockScope scope) { this.scope = scope; return this; }
        public Builder errorCode(String errorCode) { this.errorCode = errorCode; return this; }
        public Builder message(String message) { this.message = message; return this; }
        public Builder at(Instant at) { this.at = at; return this; }

        public LaunchFailed build() {
            Objects.requireNonNull(errorClass, "errorClass");
            return new LaunchFailed(jobId, attempt, clusterName, cloud, region, zone, errorClass, scope, errorCode,
                    message, at);
        }
    }
}

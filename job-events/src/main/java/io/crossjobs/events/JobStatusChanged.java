package io.crossjobs.events;

import java.time.Instant;
import java.util.Objects;

/**
 * controller → subscribers: the job moved from one status to another. {@code placement} is the current
 * attempt's, null before one is chosen; {@code exitCode} is set when a run or setup exit caused the change.
 * {@code costSoFar} is the job's accrued cost in USD; {@code taskIndex} (0-based) of {@code taskCount} says
 * which pipeline task the change concerns. {@code hold} is set on a failure whose cluster is kept for debugging
 * ({@code resources.keep_on_failure}): until when, and which instances.
 *
 * <p>Built by name: {@code JobStatusChanged.of(jobId).from(RUNNING).to(SUCCEEDED).reason("run exited 0")...build()};
 * the canonical constructor is the JSON codec's.
 */
public record JobStatusChanged(String jobId, String name, String owner, JobStatus from, JobStatus to,
                               String reason, FailureReason failureReason, Integer exitCode, int attempt,
                               int recoveryCount, Placement placement, Instant at, int restartCount,
                               Double costSoFar, int taskIndex, int taskCount, ClusterHold hold) implements JobEvent {

    public JobStatusChanged {
        if (taskCount < 1) taskCount = 1;
    }

    /** A change of job {@code jobId}; every field not set is null or 0, {@code taskCount} 1. */
    /** The same change, naming {@code newOwner} as the job's owner. */
    public JobStatusChanged withOwner(String newOwner) {
        return new JobStatusChanged(jobId, name, newOwner, from, to, reason, failureReason, exitCode, attempt,
                recoveryCount, placement, at, restartCount, costSoFar, taskIndex, taskCount, hold);
    }

    public static Builder of(String jobId) {
        return new Builder(jobId);
    }

    /** One method per field, named as the field. {@link #build()} needs {@code to}. */
    public static final class Builder {
        private final String jobId;
        private String name;
        private String owner;
        private JobStatus from;
        private JobStatus to;
        private String reason;
        private FailureReason failureReason;
        private Integer exitCode;
        private int attempt;
        private int recoveryCount;
        private Placement placement;
        private Instant at;
        private int restartCount;
        private Double costSoFar;
        private int taskIndex;
        private int taskCount = 1;
        private ClusterHold hold;

        private Builder(String jobId) {
            this.jobId = Objects.requireNonNull(jobId, "jobId");
        }

        public Builder name(String name) { this.name = name; return this; }
        public Builder owner(String owner) { this.owner = owner; return this; }
        /** Null for the job's first status. */
        public Builder from(JobStatus from) { this.from = from; return this; }
        public Builder to(JobStatus to) { this.to = to; return this; }
        public Builder reason(String reason) { this.reason = reason; return this; }
        public Builder failureReason(FailureReason failureReason) { this.failureReason = failureReason; return this; }
        public Builder exitCode(Integer exitCode) { this.exitCode = exitCode; return this; }
        public Builder attempt(int attempt) { this.attempt = attempt; return this; }
        public Builder recoveryCount(int recoveryCount) { this.recoveryCount = recoveryCount; return this; }
        public Builder placement(Placement placement) { this.placement = placement; return this; }
        public Builder at(Instant at) { this.at = at; return this; }
        public Builder restartCount(int restartCount) { this.restartCount = restartCount; return this; }
        public Builder costSoFar(Double costSoFar) { this.costSoFar = costSoFar; return this; }
        public Builder taskIndex(int taskIndex) { this.taskIndex = taskIndex; return this; }
        public Builder taskCount(int taskCount) { this.taskCount = taskCount; return this; }
        public Builder hold(ClusterHold hold) { this.hold = hold; return this; }

        public JobStatusChanged build() {
            Objects.requireNonNull(to, "to");
            return new JobStatusChanged(jobId, name, owner, from, to, reason, failureReason, exitCode, attempt,
                    recoveryCount, placement, at, restartCount, costSoFar, taskIndex, taskCount, hold);
        }
    }
}

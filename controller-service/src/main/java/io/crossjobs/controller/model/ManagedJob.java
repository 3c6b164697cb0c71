package io.crossjobs.controller.model;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.Placement;
import io.crossjobs.events.TaskSpec;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What the controller knows about one managed job: an immutable snapshot of its row, the input and output
 * of the pure state machine. {@code placement} and {@code clusterName} belong to the current {@code attempt};
 * {@code failedLaunches} counts launches that failed since the job last ran (or since its recovery began).
 */
public record ManagedJob(String id, String name, String owner, TaskSpec task, JobStatus status, int attempt,
                         String clusterName, Placement placement, List<BlockedScope> blocklist,
                         int recoveryCount, int restartCount, int failedLaunches,
                         FailureReason failureReason, Integer exitCode, String statusReason,
                         Instant submittedAt, Instant startedAt, Instant endedAt, Instant updatedAt) {

    public ManagedJob {
        blocklist = blocklist == null ? List.of() : List.copyOf(blocklist);
    }

    /** A job just accepted: PENDING, no attempt yet. */
    public static ManagedJob pending(String id, String name, String owner, TaskSpec task, Instant submittedAt,
                                     Instant now) {
        return new ManagedJob(id, name, owner, task, JobStatus.PENDING, 0, null, null, List.of(), 0, 0, 0,
                null, null, "submitted", submittedAt == null ? now : submittedAt, null, null, now);
    }

    /** Stays the same across attempts, so a relaunched job can find its checkpoints. */
    public String taskId() { return "crossjobs-" + id; }

    /** Cloud resource names are lower case in GCP and Azure, so the cluster name is too. */
    public String clusterNameFor(int attemptNumber) {
        return ("cj-" + id + "-" + attemptNumber).toLowerCase(Locale.ROOT);
    }

    /** {@code job=42 attempt=2 cloud=aws region=us-east-1}: the prefix of every log line about this job. */
    public String logContext() {
        StringBuilder sb = new StringBuilder("job=").append(id).append(" attempt=").append(attempt);
        if (placement != null) {
            sb.append(" cloud=").append(placement.cloud()).append(" region=").append(placement.region());
            if (placement.zone() != null) sb.append(" zone=").append(placement.zone());
        }
        return sb.toString();
    }

    public ManagedJob with(Consumer<Builder> changes) {
        Builder b = new Builder(this);
        changes.accept(b);
        return b.build();
    }

    /** Mutable copy used only inside {@link #with}; keeps the state machine's changes readable. */
    public static final class Builder {
        private final ManagedJob base;
        public JobStatus status;
        public int attempt;
        public String clusterName;
        public Placement placement;
        public List<BlockedScope> blocklist;
        public int recoveryCount;
        public int restartCount;
        public int failedLaunches;
        public FailureReason failureReason;
        public Integer exitCode;
        public String statusReason;
        public Instant startedAt;
        public Instant endedAt;
        public Instant updatedAt;

        private Builder(ManagedJob job) {
            base = job;
            status = job.status;
            attempt = job.attempt;
            clusterName = job.clusterName;
            placement = job.placement;
            blocklist = job.blocklist;
            recoveryCount = job.recoveryCount;
            restartCount = job.restartCount;
            failedLaunches = job.failedLaunches;
            failureReason = job.failureReason;
            exitCode = job.exitCode;
            statusReason = job.statusReason;
            startedAt = job.startedAt;
            endedAt = job.endedAt;
            updatedAt = job.updatedAt;
        }

        private ManagedJob build() {
            return new ManagedJob(base.id, base.name, base.owner, base.task, status, attempt, clusterName, placement,
                    blocklist, recoveryCount, restartCount, failedLaunches, failureReason, exitCode, statusReason,
                    base.submittedAt, startedAt, endedAt, updatedAt);
        }
    }
}

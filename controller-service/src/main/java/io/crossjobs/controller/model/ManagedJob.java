package io.crossjobs.controller.model;

import io.crossjobs.catalog.BlockedScope;
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
 * {@code failedLaunches} counts launches that failed since the job last ran (or since its recovery began);
 * {@code launchStartedAt} is when that launch episode began, {@code nextAttemptAt} when a PENDING job may be
 * launched again (its backoff after a failed launch; null = now).
 */
public record ManagedJob(String id, String name, String owner, List<TaskSpec> tasks, int taskIndex, int priority,
                         JobStatus status, int attempt,
                         String clusterName, Placement placement, List<BlockedScope> blocklist,
                         int recoveryCount, int restartCount, int failedLaunches,
                         FailureReason failureReason, Integer exitCode, String statusReason,
                         Instant submittedAt, Instant startedAt, Instant endedAt, Instant updatedAt,
                         Instant nextAttemptAt, Instant launchStartedAt, double costUsd, Instant billedSince) {

    public ManagedJob {
        blocklist = blocklist == null ? List.of() : List.copyOf(blocklist);
        tasks = tasks == null ? List.of() : tasks.stream().filter(java.util.Objects::nonNull).toList();
    }

    /** A job of one task just accepted: PENDING, no attempt yet. */
    public static ManagedJob pending(String id, String name, String owner, TaskSpec task, Instant submittedAt,
                                     Instant now) {
        return pending(id, name, owner, task == null ? List.of() : List.of(task), 500, submittedAt, now);
    }

    /** A pipeline just accepted: PENDING on its first task, no attempt yet. */
    public static ManagedJob pending(String id, String name, String owner, List<TaskSpec> tasks, int priority,
                                     Instant submittedAt, Instant now) {
        return new ManagedJob(id, name, owner, tasks, 0, priority, JobStatus.PENDING, 0, null, null, List.of(), 0, 0, 0,
                null, null, "submitted", submittedAt == null ? now : submittedAt, null, null, now, null, null, 0, null);
    }

    /** The task that runs now (the pipeline's {@code taskIndex}-th); null for a job without tasks. */
    public TaskSpec task() { return taskIndex < tasks.size() ? tasks.get(taskIndex) : null; }

    /** What the job cost so far: its finished clusters plus the running one until {@code now} (USD). */
    public double costSoFar(Instant now) {
        if (billedSince == null || placement == null || now.isBefore(billedSince)) return costUsd;
        return costUsd + placement.pricePerHour() * java.time.Duration.between(billedSince, now).toMillis() / 3_600_000d;
    }

    /**
     * {@link #costSoFar} to the micro-dollar, as status changes carry it: a job that ran for seconds costs a few
     * micro-dollars, and must not read as free.
     */
    public double costSoFarMicros(Instant now) {
        return Math.round(costSoFar(now) * 1_000_000d) / 1_000_000d;
    }

    public int taskCount() { return Math.max(1, tasks.size()); }

    public boolean lastTask() { return taskIndex >= tasks.size() - 1; }

    /**
     * Stays the same across attempts of a task, so a relaunched job can find its checkpoints; a pipeline's later
     * tasks get their index appended.
     */
    public String taskId() { return taskIndex == 0 ? "crossjobs-" + id : "crossjobs-" + id + "-" + taskIndex; }

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
        public int taskIndex;
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
        public Instant nextAttemptAt;
        public Instant launchStartedAt;
        public double costUsd;
        public Instant billedSince;

        private Builder(ManagedJob job) {
            base = job;
            taskIndex = job.taskIndex;
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
            nextAttemptAt = job.nextAttemptAt;
            launchStartedAt = job.launchStartedAt;
            costUsd = job.costUsd;
            billedSince = job.billedSince;
        }

        private ManagedJob build() {
            return new ManagedJob(base.id, base.name, base.owner, base.tasks, taskIndex, base.priority, status, attempt,
                    clusterName, placement,
                    blocklist, recoveryCount, restartCount, failedLaunches, failureReason, exitCode, statusReason,
                    base.submittedAt, startedAt, endedAt, updatedAt, nextAttemptAt, launchStartedAt, costUsd,
                    billedSince);
        }
    }
}

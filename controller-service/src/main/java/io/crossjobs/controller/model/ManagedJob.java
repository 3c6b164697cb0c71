package io.crossjobs.controller.model;

import io.crossjobs.catalog.BlockedScope;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.Placement;
import io.crossjobs.events.TaskSpec;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the controller knows about one managed job: an immutable snapshot of its row, the input and output
 * of the pure state machine. {@code placement} and {@code clusterName} belong to the current {@code attempt};
 * {@code failedLaunches} counts launches that failed since the job last ran (or since its recovery began);
 * {@code launchStartedAt} is when that launch episode began, {@code nextAttemptAt} when a PENDING job may be
 * launched again (its backoff after a failed launch; null = now). {@code taskRanMillis} is how long the current task
 * ran (RUNNING) on its earlier attempts' clusters, and {@code runDeadline}, while it runs, when its
 * {@code max_duration} runs out: see {@code TimeLimits}. {@code instanceIds} are the current cluster's, as reported when
 * it came up; {@code holdUntil}, on a failed job, is when its cluster, kept for debugging, is terminated.
 */
public record ManagedJob(String id, String name, String owner, List<TaskSpec> tasks, int taskIndex, int priority,
                         JobStatus status, int attempt,
                         String clusterName, Placement placement, List<BlockedScope> blocklist,
                         int recoveryCount, int restartCount, int failedLaunches,
                         FailureReason failureReason, Integer exitCode, String statusReason,
                         Instant submittedAt, Instant startedAt, Instant endedAt, Instant updatedAt,
                         Instant nextAttemptAt, Instant launchStartedAt, double costUsd, Instant billedSince,
                         long taskRanMillis, Instant runDeadline, List<String> instanceIds, Instant holdUntil) {

    public ManagedJob {
        blocklist = blocklist == null ? List.of() : List.copyOf(blocklist);
        tasks = tasks == null ? List.of() : tasks.stream().filter(Objects::nonNull).toList();
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }

    /** A job of one task just accepted: PENDING, no attempt yet. */
    public static ManagedJob pending(String id, String name, String owner, TaskSpec task, Instant submittedAt,
                                     Instant now) {
        return pending(id, name, owner, task == null ? List.of() : List.of(task), 500, submittedAt, now);
    }

    /** A pipeline just accepted: PENDING on its first task, no attempt yet. */
    public static ManagedJob pending(String id, String name, String owner, List<TaskSpec> tasks, int priority,
                                     Instant submittedAt, Instant now) {
        Builder b = new Builder();
        b.id = id;
        b.name = name;
        b.owner = owner;
        b.tasks = tasks;
        b.priority = priority;
        b.status = JobStatus.PENDING;
        b.statusReason = "submitted";
        b.submittedAt = submittedAt == null ? now : submittedAt;
        b.updatedAt = now;
        return b.build();
    }

    /** The task that runs now (the pipeline's {@code taskIndex}-th); null for a job without tasks. */
    public TaskSpec task() { return taskIndex < tasks.size() ? tasks.get(taskIndex) : null; }

    /**
     * What the job cost so far: its finished clusters plus the running one until {@code now} (USD), each node of the
     * cluster at the placement's price (an instance's).
     */
    public double costSoFar(Instant now) {
        if (billedSince == null || placement == null || now.isBefore(billedSince)) return costUsd;
        return costUsd + clusterPricePerHour() * java.time.Duration.between(billedSince, now).toMillis() / 3_600_000d;
    }

    /** The current cluster's price: its placement's (one instance's) times the current task's nodes. */
    public double clusterPricePerHour() {
        TaskSpec task = task();
        return placement == null ? 0 : placement.pricePerHour() * (task == null ? 1 : task.numNodes());
    }

    /**
     * {@link #costSoFar} to the micro-dollar, as status changes carry it: a job that ran for seconds costs a few
     * micro-dollars, and must not read as free.
     */
    public double costSoFarMicros(Instant now) {
        return Math.round(costSoFar(now) * 1_000_000d) / 1_000_000d;
    }

    public int taskCount() { return Math.max(1, tasks.size()); }

    /** The current task's {@code keep_on_failure} in seconds; null: a failed task's cluster goes at once. */
    public Long keepOnFailureSeconds() {
        TaskSpec task = task();
        return task == null || task.resources() == null ? null : task.resources().keepOnFailureSeconds();
    }

    /**
     * Until when this job's cluster is kept for debugging if its current task fails at {@code at}: the task's
     * {@code keep_on_failure} from then, or null when it has none, has no cluster, or a cancel is tearing it down.
     */
    public Instant holdUntilIfFailedAt(Instant at) {
        Long keep = keepOnFailureSeconds();
        if (keep == null || status == JobStatus.CANCELLING || clusterName == null) return null;
        return at.plusSeconds(keep);
    }

    /** The current task's {@code max_duration} in seconds; null: it has none. */
    public Long maxDurationSeconds() {
        TaskSpec task = task();
        return task == null || task.resources() == null ? null : task.resources().maxDurationSeconds();
    }

    /** How long the current task has run, over its earlier attempts and the running one until {@code now}. */
    public long taskRanMillis(Instant now) {
        if (billedSince == null || now.isBefore(billedSince)) return taskRanMillis;
        return taskRanMillis + java.time.Duration.between(billedSince, now).toMillis();
    }

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

    /** This snapshot with {@code changes} made; a decision changes the state fields, never the job's identity. */
    public ManagedJob with(Consumer<Builder> changes) {
        Builder b = new Builder(this);
        changes.accept(b);
        return b.build();
    }

    /**
     * A snapshot's fields by name: the only place that calls the canonical constructor, so no caller passes 25
     * values by position. {@code id} to {@code submittedAt} are the job's identity, set when it is created or read.
     */
    public static final class Builder {
        public String id;
        public String name;
        public String owner;
        public List<TaskSpec> tasks;
        public int priority;
        public Instant submittedAt;
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
        public long taskRanMillis;
        public Instant runDeadline;
        public List<String> instanceIds;
        public Instant holdUntil;

        /** Every field unset: for a snapshot built field by field (a new job, a row read back). */
        public Builder() { }

        private Builder(ManagedJob job) {
            id = job.id;
            name = job.name;
            owner = job.owner;
            tasks = job.tasks;
            priority = job.priority;
            submittedAt = job.submittedAt;
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
            taskRanMillis = job.taskRanMillis;
            runDeadline = job.runDeadline;
            instanceIds = job.instanceIds;
            holdUntil = job.holdUntil;
        }

        public ManagedJob build() {
            return new ManagedJob(id, name, owner, tasks, taskIndex, priority, status, attempt, clusterName, placement,
                    blocklist, recoveryCount, restartCount, failedLaunches, failureReason, exitCode, statusReason,
                    submittedAt, startedAt, endedAt, updatedAt, nextAttemptAt, launchStartedAt, costUsd, billedSince,
                    taskRanMillis, runDeadline, instanceIds, holdUntil);
        }
    }
}

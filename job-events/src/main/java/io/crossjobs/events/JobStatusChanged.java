package io.crossjobs.events;

import java.time.Instant;

/**
 * controller → subscribers: the job moved from one status to another. {@code placement} is the current
 * attempt's, null before one is chosen; {@code exitCode} is set when a run or setup exit caused the change.
 * {@code costSoFar} is the job's accrued cost in USD; {@code taskIndex} (0-based) of {@code taskCount} says
 * which pipeline task the change concerns.
 */
public record JobStatusChanged(String jobId, String name, String owner, JobStatus from, JobStatus to,
                               String reason, FailureReason failureReason, Integer exitCode, int attempt,
                               int recoveryCount, Placement placement, Instant at, int restartCount,
                               Double costSoFar, int taskIndex, int taskCount) implements JobEvent {

    public JobStatusChanged {
        if (taskCount < 1) taskCount = 1;
    }

    /** A change of a single-task job with no restarts and no cost so far. */
    public JobStatusChanged(String jobId, String name, String owner, JobStatus from, JobStatus to, String reason,
                            FailureReason failureReason, Integer exitCode, int attempt, int recoveryCount,
                            Placement placement, Instant at) {
        this(jobId, name, owner, from, to, reason, failureReason, exitCode, attempt, recoveryCount, placement, at,
                0, null, 0, 1);
    }
}

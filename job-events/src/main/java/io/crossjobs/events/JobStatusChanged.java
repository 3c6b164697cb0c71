package io.crossjobs.events;

import java.time.Instant;

/**
 * controller → subscribers: the job moved from one status to another. {@code placement} is the current
 * attempt's, null before one is chosen; {@code exitCode} is set when a run or setup exit caused the change.
 */
public record JobStatusChanged(String jobId, String name, String owner, JobStatus from, JobStatus to,
                               String reason, FailureReason failureReason, Integer exitCode, int attempt,
                               int recoveryCount, Placement placement, Instant at) implements JobEvent {
}

package io.crossjobs.jobapi.model;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;

import java.time.Instant;

/**
 * One entry of a job's status history; {@code taskIndex} is the pipeline task (0-based) the change concerns, null for
 * a change job-api recorded before it kept it.
 */
public record JobEventView(JobStatus from, JobStatus to, String reason, FailureReason failureReason,
                           Integer exitCode, int attempt, Instant at, Integer taskIndex) {

    public static JobEventView of(JobHistoryEntry e) {
        return new JobEventView(e.fromStatus, e.toStatus, e.reason, e.failureReason, e.exitCode, e.attempt, e.at,
                e.taskIndex);
    }
}

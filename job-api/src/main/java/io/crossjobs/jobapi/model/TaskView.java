package io.crossjobs.jobapi.model;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;

import java.time.Instant;
import java.util.List;

/**
 * One task of a job's pipeline (a one-task job has one), as the job's status history tells it. {@code index} is
 * 0-based, in the order the tasks run. {@code status}: PENDING until the controller reaches the task; SUCCEEDED once
 * the pipeline moved on to the next task; CANCELLED for a task never run because the job ended before it; null when
 * the job's history was recorded before each change's task was kept. {@code reason} is the controller's last word on
 * the task. {@code placement} is its latest attempt's, null until one was chosen. {@code attempts} are the attempt
 * numbers that ran the task (its logs: {@code GET /jobs/{id}/logs?task=index}). {@code startedAt} is the task's first
 * RUNNING, {@code endedAt} when it ended, {@code durationSeconds} between the two (or to now while it runs).
 */
public record TaskView(int index, String name, JobStatus status, String reason, FailureReason failureReason,
                       Integer exitCode, TaskPlacementView placement, List<Integer> attempts, int numNodes,
                       Instant startedAt, Instant endedAt, Long durationSeconds) {
}

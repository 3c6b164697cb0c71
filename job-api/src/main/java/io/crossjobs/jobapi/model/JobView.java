package io.crossjobs.jobapi.model;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;

import java.time.Instant;
import java.util.Map;

/**
 * A job as clients see it. Placement fields describe the current (or last) attempt and are null until the
 * controller has chosen one; {@code spot} and {@code pricePerHour} are the placement's, not the request's.
 * {@code jobDurationSeconds} runs from submission, {@code runningDurationSeconds} from the first RUNNING (recovery
 * time included), both to the end or to now. {@code taskIndex} (0-based) of {@code taskCount}: the pipeline task
 * the latest status concerns. {@code secrets} shows the names of the first task's secrets, never their values.
 * {@code array} is null for a job submitted alone; {@code hold} is null unless the job failed and its cluster is (or
 * was) kept for debugging.
 */
public record JobView(String id, String name, String owner, JobStatus status,
                      String cloud, String region, String zone, String instanceType, Boolean spot,
                      Double pricePerHour,
                      Instant submittedAt, Instant startedAt, Instant endedAt, Instant statusChangedAt,
                      int attempt, int recoveryCount, FailureReason failureReason, Integer exitCode,
                      Instant cancelRequestedAt, int numNodes, ResourcesView resources, int taskCount,
                      Map<String, String> secrets, int restartCount, Double costSoFar, int taskIndex,
                      Long jobDurationSeconds, Long runningDurationSeconds, JobArrayView array, JobHoldView hold) {
}

package io.crossjobs.jobapi.model;

import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;

import java.time.Instant;

/**
 * A job as clients see it. Placement fields describe the current (or last) attempt and are null until the
 * controller has chosen one; {@code spot} and {@code pricePerHour} are the placement's, not the request's.
 */
public record JobView(String id, String name, String owner, JobStatus status,
                      String cloud, String region, String zone, String instanceType, Boolean spot,
                      Double pricePerHour,
                      Instant submittedAt, Instant startedAt, Instant endedAt, Instant statusChangedAt,
                      int attempt, int recoveryCount, FailureReason failureReason, Integer exitCode,
                      Instant cancelRequestedAt, int numNodes, ResourcesView resources) {
}

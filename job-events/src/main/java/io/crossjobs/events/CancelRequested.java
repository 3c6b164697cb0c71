package io.crossjobs.events;

import java.time.Instant;

/** job-api → controller: a user asked to cancel the job. */
public record CancelRequested(String jobId, String requestedBy, Instant requestedAt) implements JobEvent {
}

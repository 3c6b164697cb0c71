package io.crossjobs.events;

import java.time.Instant;

/** job-api → controller: the owner of a failed job asked to end its cluster's debug hold now. */
public record ReleaseHoldRequested(String jobId, String requestedBy, Instant requestedAt) implements JobEvent {
}

package io.crossjobs.events;

import java.time.Instant;

/**
 * job-api → controller (on job-requests): every node's output of this attempt is stored up to the ends its
 * {@link JobExited} announced, so the job's terminal status may be made visible.
 */
public record OutputStored(String jobId, int attempt, Instant at) implements JobEvent {
}

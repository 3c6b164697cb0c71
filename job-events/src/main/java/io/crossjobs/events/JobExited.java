package io.crossjobs.events;

import java.time.Instant;

/**
 * provisioner → controller: the task's setup or run finished on the head node with this exit code.
 * A setup that exits 0 is not reported; the run's exit always is.
 */
public record JobExited(String jobId, int attempt, String clusterName, RunPhase phase, int exitCode, Instant at)
        implements JobEvent {
}

package io.crossjobs.events;

import java.time.Instant;
import java.util.List;

/**
 * provisioner → controller (on provision-events) and job-api (on job-logs): the task's setup or run finished on the
 * head node with this exit code. A setup that exits 0 is not reported; the run's exit always is.
 *
 * <p>{@code outputEnds} says where each listed node's output of this attempt ends, as far as the provisioner shipped
 * it (the head node's includes its exit marker line): on job-logs the event follows those chunks, so job-api can tell
 * when it has stored all of them and say so ({@link OutputStored}); the controller holds the job's terminal status
 * until then. Null from a provisioner that predates it: then no output is awaited.
 */
public record JobExited(String jobId, int attempt, String clusterName, RunPhase phase, int exitCode, Instant at,
                        List<OutputEnd> outputEnds) implements JobEvent {

    public JobExited {
        outputEnds = outputEnds == null ? null : List.copyOf(outputEnds);
    }

    /** An exit that announces no output (nothing is awaited). */
    public JobExited(String jobId, int attempt, String clusterName, RunPhase phase, int exitCode, Instant at) {
        this(jobId, attempt, clusterName, phase, exitCode, at, null);
    }

    /** Whether output ends were announced, i.e. job-api will confirm the output stored. */
    public boolean announcesOutput() {
        return outputEnds != null;
    }
}

package io.crossjobs.events;

import java.time.Instant;

/** job-api → controller: a job was accepted. */
public record JobSubmitted(String jobId, String name, String owner, TaskSpec task, Instant submittedAt)
        implements JobEvent {
}

package io.crossjobs.controller.model;

import io.crossjobs.events.JobStatus;

import java.util.Set;

/**
 * One named state change, ready to be written as a guarded update:
 * {@code update ... where id = :jobId and status in (:guard) and attempt = :guardAttempt}.
 * If the row no longer matches the guard, the update changes nothing and the transition is dropped.
 */
public record Transition(String name, Set<JobStatus> guard, ManagedJob before, ManagedJob after, String reason) {

    public Transition {
        guard = Set.copyOf(guard);
    }

    public String jobId() { return before.id(); }

    public int guardAttempt() { return before.attempt(); }

    public JobStatus from() { return before.status(); }

    public JobStatus to() { return after.status(); }
}

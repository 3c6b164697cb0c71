package io.crossjobs.jobapi.model;

import io.crossjobs.events.JobStatus;

import java.util.Set;

/** {@code GET /jobs} filters; null means any. {@code owner} is forced to the caller for non-admins. */
public record JobFilter(Set<JobStatus> statuses, String owner, String name, String cloud, Long array) {
    public JobFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }
}

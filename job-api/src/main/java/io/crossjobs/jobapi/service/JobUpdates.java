package io.crossjobs.jobapi.service;

import io.crossjobs.events.JobStatusChanged;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Status changes as they are applied, for the live subscribers of this process ({@code GET /jobs/stream},
 * webhooks' scanner wake-up). Only changes whose transaction committed are published; a subscriber that
 * connects later sees only later changes (history is in {@code GET /jobs/{id}/events}).
 */
@ApplicationScoped
public class JobUpdates {
    private final BroadcastProcessor<JobStatusChanged> changes = BroadcastProcessor.create();

    /**
     * {@code owner} is the job's owner as job-api stored it at submission: the change is routed to it, and carries
     * it, whatever owner the event itself names.
     */
    public void published(JobStatusChanged change, String owner) {
        changes.onNext(change.withOwner(owner));
    }

    /** The changes of jobs this caller may see. */
    public Multi<JobStatusChanged> visibleTo(Caller caller) {
        return changes.select().where(c -> c.owner() != null && caller.maySee(c.owner()));
    }
}

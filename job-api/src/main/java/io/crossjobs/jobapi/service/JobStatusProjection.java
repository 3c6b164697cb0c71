package io.crossjobs.jobapi.service;

import io.crossjobs.events.EventType;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.jobapi.model.JobHistoryEntry;
import io.crossjobs.jobapi.repository.InboxRepository;
import io.crossjobs.jobapi.repository.JobHistoryRepository;
import io.crossjobs.jobapi.repository.JobRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Applies the controller's status changes to the jobs read model and the history, recording the event id
 * in the inbox in the same transaction: a redelivered event finds its id there and changes nothing.
 */
@ApplicationScoped
public class JobStatusProjection {
    private static final Logger LOG = Logger.getLogger(JobStatusProjection.class);

    public enum Outcome { APPLIED, DUPLICATE, UNKNOWN_JOB }

    private final InboxRepository inbox;
    private final JobRepository jobs;
    private final JobHistoryRepository history;

    private final WebhookService webhooks;

    public JobStatusProjection(InboxRepository inbox, JobRepository jobs, JobHistoryRepository history,
                               WebhookService webhooks) {
        this.webhooks = webhooks;
        this.inbox = inbox;
        this.jobs = jobs;
        this.history = history;
    }

    @WithTransaction
    public Uni<Outcome> apply(String eventId, JobStatusChanged e) {
        Optional<Long> id = JobIds.parse(e.jobId());
        Instant at = e.at() == null ? Instant.now() : e.at();
        return inbox.recordIfNew(eventId, EventType.JOB_STATUS_CHANGED.ceType(), Instant.now()).chain(isNew -> {
            if (!isNew) {
                LOG.debugf("job=%s status event %s seen before, skipped", e.jobId(), eventId);
                return Uni.createFrom().item(Outcome.DUPLICATE);
            }
            if (id.isEmpty()) return unknown(e, eventId);
            return jobs.applyStatusChange(id.get(), e, at).chain(updated -> updated == 0
                    ? unknown(e, eventId)
                    : history.persist(entry(id.get(), eventId, e, at))
                    .call(() -> webhooks.enqueue(eventId, e))
                    .map(saved -> {
                        LOG.infof("job=%s attempt=%d status %s -> %s%s", e.jobId(), e.attempt(), e.from(), e.to(),
                                e.placement() == null ? "" : " cloud=" + e.placement().cloud() + " region="
                                        + e.placement().region() + " zone=" + e.placement().zone());
                        return Outcome.APPLIED;
                    }));
        });
    }

    private static Uni<Outcome> unknown(JobStatusChanged e, String eventId) {
        LOG.warnf("job=%s status event %s (%s -> %s) for an unknown job, ignored", e.jobId(), eventId, e.from(), e.to());
        return Uni.createFrom().item(Outcome.UNKNOWN_JOB);
    }

    private static JobHistoryEntry entry(long jobId, String eventId, JobStatusChanged e, Instant at) {
        JobHistoryEntry h = new JobHistoryEntry();
        h.jobId = jobId;
        h.eventId = eventId;
        h.fromStatus = e.from();
        h.toStatus = e.to();
        h.reason = e.reason();
        h.failureReason = e.failureReason();
        h.exitCode = e.exitCode();
        h.attempt = e.attempt();
        h.at = at;
        return h;
    }
}

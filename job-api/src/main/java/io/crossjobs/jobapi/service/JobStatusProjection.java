package io.crossjobs.jobapi.service;

import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.jobapi.repository.StatusChangeStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * Applies the controller's status changes to the jobs read model and the history, recording the event id
 * in the inbox in the same transaction: a redelivered event finds its id there and changes nothing
 * ({@link StatusChangeStore}). Webhook deliveries are written with it when a webhook wants the change.
 */
@ApplicationScoped
public class JobStatusProjection {
    private static final Logger LOG = Logger.getLogger(JobStatusProjection.class);

    private final StatusChangeStore store;
    private final WebhookService webhooks;

    public JobStatusProjection(StatusChangeStore store, WebhookService webhooks) {
        this.store = store;
        this.webhooks = webhooks;
    }

    public Uni<StatusChangeStore.Result> apply(String eventId, JobStatusChanged e) {
        Long id = JobIds.parse(e.jobId()).orElse(null);
        Instant at = e.at() == null ? Instant.now() : e.at();
        // webhooks get the change with its job's stored owner, as the live stream does (JobUpdates)
        return store.apply(eventId, id, e, at, Instant.now(), owner -> webhooks.cloudEvent(eventId, e.withOwner(owner)))
                .map(result -> {
                    switch (result.outcome()) {
                        case DUPLICATE -> LOG.debugf("job=%s status event %s seen before, skipped", e.jobId(), eventId);
                        case UNKNOWN_JOB -> LOG.warnf("job=%s status event %s (%s -> %s) for an unknown job, ignored",
                                e.jobId(), eventId, e.from(), e.to());
                        case APPLIED -> LOG.infof("job=%s attempt=%d status %s -> %s%s", e.jobId(), e.attempt(),
                                e.from(), e.to(), e.placement() == null ? "" : " cloud=" + e.placement().cloud()
                                        + " region=" + e.placement().region() + " zone=" + e.placement().zone());
                    }
                    return result;
                });
    }
}

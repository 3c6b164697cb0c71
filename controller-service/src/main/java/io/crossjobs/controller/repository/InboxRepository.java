package io.crossjobs.controller.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

@ApplicationScoped
public class InboxRepository implements PanacheRepositoryBase<InboxEntity, String> {

    /**
     * Records the event id in the current transaction; false if it was processed before. Two concurrent
     * deliveries of one id cannot both commit: the primary key makes the second one fail and retry.
     */
    public Uni<Boolean> recordFirstDelivery(String eventId, String eventType, String jobId, Instant at) {
        return findById(eventId).chain(seen -> {
            if (seen != null) return Uni.createFrom().item(false);
            InboxEntity e = new InboxEntity();
            e.eventId = eventId;
            e.eventType = eventType;
            e.jobId = jobId;
            e.processedAt = at;
            return persist(e).replaceWith(true);
        });
    }

    public Uni<Long> purgeProcessedBefore(Instant cutoff) {
        return delete("processedAt < ?1", cutoff);
    }
}

package io.crossjobs.jobapi.repository;

import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.crossjobs.jobapi.model.OutboxEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntry, Long> {

    /** Stores the event for the relay; call inside the transaction of the change it announces. */
    public Uni<OutboxEntry> append(JobEvent event, Instant at) {
        return persist(entryFor(event, at));
    }

    /** The row announcing {@code event}, with a fresh CloudEvents id; not yet stored. */
    public static OutboxEntry entryFor(JobEvent event, Instant at) {
        OutboxEntry entry = new OutboxEntry();
        entry.eventId = UUID.randomUUID();
        entry.eventType = EventType.of(event).ceType();
        entry.jobId = event.jobId();
        entry.payload = EventCodec.encode(event);
        entry.createdAt = at;
        return entry;
    }

    /** The oldest unpublished rows, in publication order. */
    public Uni<List<OutboxEntry>> unpublished(int limit) {
        return find("publishedAt is null", Sort.ascending("id")).page(Page.ofSize(limit)).list();
    }

    public Uni<Integer> markPublished(List<Long> ids, Instant at) {
        return update("publishedAt = :at where id in :ids and publishedAt is null",
                Parameters.with("at", at).and("ids", ids));
    }

    public Uni<Long> purgePublishedBefore(Instant cutoff) {
        return delete("publishedAt < ?1", cutoff);
    }
}

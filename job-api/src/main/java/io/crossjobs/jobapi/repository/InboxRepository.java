package io.crossjobs.jobapi.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** CloudEvents ids already applied; a consumer records the id in the transaction of the event's effect. */
@ApplicationScoped
public class InboxRepository {

    /** True when the event is new (and is now recorded), false when it was applied before. */
    public Uni<Boolean> recordIfNew(String eventId, String eventType, Instant at) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "insert into inbox (event_id, event_type, received_at) values (:id, :type, :at) "
                                + "on conflict (event_id) do nothing")
                .setParameter("id", eventId)
                .setParameter("type", eventType)
                .setParameter("at", at)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    public Uni<Integer> purgeReceivedBefore(Instant cutoff) {
        return Panache.getSession().chain(s -> s.createNativeQuery("delete from inbox where received_at < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate());
    }
}

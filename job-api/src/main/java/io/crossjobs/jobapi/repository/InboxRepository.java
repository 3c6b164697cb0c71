package io.crossjobs.jobapi.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** CloudEvents ids already applied ({@link StatusChangeStore} records them with their effect); old ones are purged. */
@ApplicationScoped
public class InboxRepository {

    public Uni<Integer> purgeReceivedBefore(Instant cutoff) {
        return Panache.getSession().chain(s -> s.createNativeQuery("delete from inbox where received_at < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate());
    }
}

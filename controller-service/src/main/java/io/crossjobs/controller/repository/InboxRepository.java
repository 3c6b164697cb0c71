package io.crossjobs.controller.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

@ApplicationScoped
public class InboxRepository implements PanacheRepositoryBase<InboxEntity, String> {

    public Uni<Long> purgeProcessedBefore(Instant cutoff) {
        return delete("processedAt < ?1", cutoff);
    }
}

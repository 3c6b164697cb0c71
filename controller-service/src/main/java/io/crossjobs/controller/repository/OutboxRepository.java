package io.crossjobs.controller.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, Long> {

    /** Arbitrary but fixed: the advisory lock key of the relay lease. */
    private static final long RELAY_LEASE_KEY = 0x63726f73736a6f62L;   // "crossjob"

    /** True if this transaction now holds the relay lease (released at commit or rollback). */
    public Uni<Boolean> tryRelayLease() {
        return getSession().chain(s -> s.createNativeQuery("select pg_try_advisory_xact_lock(:key)", Boolean.class)
                .setParameter("key", RELAY_LEASE_KEY).getSingleResult());
    }

    /** The oldest unpublished rows, in the order they were written. */
    public Uni<List<OutboxEntity>> nextBatch(int size) {
        return find("publishedAt is null", Sort.by("id")).page(Page.ofSize(size)).list();
    }

    public Uni<Integer> markPublished(List<Long> ids, Instant at) {
        return update("publishedAt = :at where id in :ids", Parameters.with("at", at).and("ids", ids));
    }

    public Uni<Long> purgePublishedBefore(Instant cutoff) {
        return delete("publishedAt < ?1", cutoff);
    }
}

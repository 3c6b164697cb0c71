package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.Webhook;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class WebhookRepository implements PanacheRepositoryBase<Webhook, Long> {

    /** Live webhooks of {@code owner}, or of everyone with null. */
    public Uni<List<Webhook>> live(String owner) {
        return owner == null ? list("deletedAt is null", Sort.ascending("id"))
                : list("deletedAt is null and owner = ?1", Sort.ascending("id"), owner);
    }

    public Uni<Integer> delete(long id, String owner, Instant at) {
        Parameters p = Parameters.with("id", id).and("at", at);
        String guard = "";
        if (owner != null) {
            guard = " and owner = :owner";
            p.and("owner", owner);
        }
        return update("deletedAt = :at where id = :id and deletedAt is null" + guard, p);
    }

    /** Whether any live webhook wants this status of this owner's job (the owner's own, or an admin's). */
    public Uni<Boolean> anyWants(String owner, String status) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                select exists (select 1 from webhooks w
                where w.deleted_at is null and (w.owner = ?1 or w.admin)
                  and (w.statuses = '' or position(',' || ?2 || ',' in ',' || w.statuses || ',') > 0))""",
                        Boolean.class)
                .setParameter(1, owner == null ? "" : owner).setParameter(2, status)
                .getSingleResult());
    }

    /**
     * Enqueues one delivery per live webhook that wants this status: the owner's and the admins'. Runs in
     * the transaction that applies the status change, so an event is enqueued once, with it.
     */
    public Uni<Integer> enqueue(String eventId, String jobId, String owner, String status, String payload,
                                Instant at) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                insert into webhook_deliveries (webhook_id, event_id, job_id, payload, next_attempt_at, created_at)
                select w.id, ?1, ?2, ?3, ?4, ?4 from webhooks w
                where w.deleted_at is null and (w.owner = ?5 or w.admin)
                  and (w.statuses = '' or position(',' || ?6 || ',' in ',' || w.statuses || ',') > 0)
                on conflict (webhook_id, event_id) do nothing""")
                .setParameter(1, eventId).setParameter(2, jobId).setParameter(3, payload)
                .setParameter(4, at).setParameter(5, owner == null ? "" : owner).setParameter(6, status)
                .executeUpdate());
    }
}

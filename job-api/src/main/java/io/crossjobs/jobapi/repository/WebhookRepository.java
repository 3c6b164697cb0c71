package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.Webhook;
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
}

package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.WebhookDelivery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class WebhookDeliveryRepository implements PanacheRepositoryBase<WebhookDelivery, Long> {

    public Uni<List<WebhookDelivery>> due(Instant now, int limit) {
        return find("state = :pending and nextAttemptAt <= :now", Sort.ascending("nextAttemptAt", "id"),
                Parameters.with("pending", WebhookDelivery.PENDING).and("now", now)).page(Page.ofSize(limit)).list();
    }

    public Uni<List<WebhookDelivery>> ofWebhook(long webhookId) {
        return list("webhookId = ?1", Sort.descending("id"), webhookId);
    }

    public Uni<Integer> delivered(long id, int statusCode, Instant at) {
        return update("state = :state, attempts = attempts + 1, lastStatusCode = :code, lastError = null, "
                        + "deliveredAt = :at where id = :id",
                Parameters.with("state", WebhookDelivery.DELIVERED).and("code", statusCode).and("at", at)
                        .and("id", id));
    }

    public Uni<Integer> failed(long id, Integer statusCode, String error, Instant nextAttempt, boolean giveUp) {
        return update("state = :state, attempts = attempts + 1, lastStatusCode = :code, lastError = :error, "
                        + "nextAttemptAt = :next where id = :id",
                Parameters.with("state", giveUp ? WebhookDelivery.FAILED : WebhookDelivery.PENDING)
                        .and("code", statusCode).and("error", error).and("next", nextAttempt).and("id", id));
    }
}

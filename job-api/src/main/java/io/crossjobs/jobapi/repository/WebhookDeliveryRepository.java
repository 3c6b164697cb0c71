package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.WebhookDelivery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class WebhookDeliveryRepository implements PanacheRepositoryBase<WebhookDelivery, Long> {

    public Uni<List<WebhookDelivery>> ofWebhook(long webhookId) {
        return list("webhookId = ?1", Sort.descending("id"), webhookId);
    }
}

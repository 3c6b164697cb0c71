package io.crossjobs.jobapi.model;

import java.time.Instant;

/** One entry of a webhook's delivery log. */
public record DeliveryView(String id, String eventId, String jobId, String state, int attempts,
                           Integer lastStatusCode, String lastError, Instant createdAt, Instant nextAttemptAt,
                           Instant deliveredAt) {
    public static DeliveryView of(WebhookDelivery d) {
        return new DeliveryView(String.valueOf(d.id), d.eventId, d.jobId, d.state, d.attempts, d.lastStatusCode,
                d.lastError, d.createdAt, d.state.equals(WebhookDelivery.PENDING) ? d.nextAttemptAt : null,
                d.deliveredAt);
    }
}

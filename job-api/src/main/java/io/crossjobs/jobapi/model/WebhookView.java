package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A webhook as listed; {@code secret} only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(String id, String owner, String url, List<String> statuses, Instant createdAt,
                          String secret) {
    public static WebhookView of(Webhook w, String secret) {
        List<String> statuses = w.statuses.isEmpty() ? List.of() : Arrays.asList(w.statuses.split(","));
        return new WebhookView(String.valueOf(w.id), w.owner, w.url, statuses, w.createdAt, secret);
    }
}

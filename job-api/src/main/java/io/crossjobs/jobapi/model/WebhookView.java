package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.crossjobs.jobapi.service.ChatMessages;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A webhook as listed: its {@code format}, and for a chat format the {@code template} its messages are rendered from
 * (the format's default when it was registered without one); {@code secret} only in the answer that created a
 * crossjobs-format webhook.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(String id, String owner, String url, List<String> statuses, String format, String template,
                          Instant createdAt, String secret) {
    public static WebhookView of(Webhook w, String secret) {
        List<String> statuses = w.statuses.isEmpty() ? List.of() : Arrays.asList(w.statuses.split(","));
        WebhookFormat format = WebhookFormat.parse(w.format).orElseThrow();
        String template = !format.isChat() ? null
                : w.template == null ? ChatMessages.defaultTemplate(format) : w.template;
        return new WebhookView(String.valueOf(w.id), w.owner, w.url, statuses, format.wireName(), template,
                w.createdAt, secret);
    }
}

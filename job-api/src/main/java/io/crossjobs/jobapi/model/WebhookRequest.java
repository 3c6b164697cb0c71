package io.crossjobs.jobapi.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** {@code POST /webhooks}: where to send status changes, and which statuses (none = all). */
public record WebhookRequest(
        @NotBlank(message = "is required: an http or https URL")
        @Size(max = 2048, message = "must be at most 2048 characters")
        String url,
        List<@NotNull(message = "must be a job status") String> statuses) {
}

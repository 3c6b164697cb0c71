package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * {@code POST /webhooks}: where to send status changes, which statuses (none = all: {@code statuses}, or its
 * SkyPilot-style spelling {@code notify_on}, one of the two), in which {@code format} ({@code crossjobs} when absent)
 * and, for the chat formats, with which message {@code template} (absent: the format's default).
 */
public record WebhookRequest(
        @NotBlank(message = "is required: an http or https URL")
        @Size(max = 2048, message = "must be at most 2048 characters")
        String url,
        List<@NotNull(message = "must be a job status") String> statuses,
        @JsonProperty("notify_on")
        List<@NotNull(message = "must be a job status") String> notifyOn,
        String format,
        @Size(max = 2000, message = "must be at most 2000 characters")
        String template) {
}

package io.crossjobs.jobapi.messaging;

import io.crossjobs.jobapi.config.WebhookConfig;
import io.crossjobs.jobapi.repository.WebhookDeliveryStore;
import io.crossjobs.jobapi.repository.WebhookDeliveryStore.Due;
import io.crossjobs.jobapi.repository.WebhookDeliveryStore.Sent;
import io.crossjobs.jobapi.repository.WebhookDeliveryStore.Target;
import io.crossjobs.jobapi.service.WebhookService;
import io.crossjobs.jobapi.service.WebhookSignatures;
import io.crossjobs.jobapi.service.WebhookTargets;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sends due webhook deliveries: a scan of the deliveries table every {@code jobapi.webhooks.poll-interval},
 * each due row POSTed asynchronously (no thread per delivery). A 2xx answer marks it DELIVERED; anything
 * else schedules the next attempt after an exponentially growing wait, or after the answer's {@code Retry-After}
 * when that is longer (Slack and Discord send it with their 429s), until {@code max-attempts} (FAILED). A refusal's
 * body (Slack's {@code channel_not_found}, Discord's JSON message) is kept, cut short, in the delivery's error.
 * Deliveries are at least once: receivers deduplicate by the CloudEvent {@code id}. A chat-format webhook's message
 * is rendered from the stored event at each attempt (the same text each time). The rows are read and
 * written through the SQL client ({@link WebhookDeliveryStore}), from whichever thread an answer completes on.
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 50;
    /** How much of a refusal's body is kept in the delivery's error. */
    private static final int ERROR_BODY_CHARS = 300;

    private final WebhookDeliveryStore deliveries;
    private final WebhookConfig config;
    private final HttpClient http;
    private final WebhookTargets targets;
    private final WebhookService webhooks;

    public WebhookDispatcher(WebhookDeliveryStore deliveries, WebhookConfig config, WebhookTargets targets,
                             WebhookService webhooks) {
        this.deliveries = deliveries;
        this.config = config;
        this.targets = targets;
        this.webhooks = webhooks;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Scheduled(every = "${jobapi.webhooks.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scan() {
        return deliveries.due(Instant.now(), BATCH).chain(due -> {
            if (due.isEmpty()) return Uni.createFrom().voidItem();
            List<Uni<Sent>> sends = due.stream().map(this::send).toList();
            return Uni.join().all(sends).andFailFast().chain(deliveries::record);
        });
    }

    private Uni<Sent> send(Due d) {
        if (d.webhookDeleted()) return Uni.createFrom().item(() -> outcome(d, null, "webhook deleted"));
        // resolved again before each delivery: a name registered as public may point inside later
        return Uni.createFrom().item(() -> targets.refusal(d.target().url()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(refusal -> refusal.isPresent()
                        ? Uni.createFrom().item(() -> outcome(d, null, "refused: url " + refusal.get()))
                        : post(d).map(r -> answered(d, r)))
                .onFailure().recoverWithItem(e -> outcome(d, null, e.toString()));
    }

    private Sent answered(Due d, HttpResponse<String> r) {
        int code = r.statusCode();
        if (code >= 200 && code < 300) return outcome(d, code, null);
        String body = r.body() == null ? "" : r.body().strip();
        String error = "HTTP " + code + (body.isEmpty() ? ""
                : ": " + (body.length() > ERROR_BODY_CHARS ? body.substring(0, ERROR_BODY_CHARS) + "…" : body));
        Duration asked = RetryAfter.parse(r.headers().firstValue("Retry-After").orElse(null), Instant.now())
                .orElse(Duration.ZERO);
        return outcome(d, code, error, asked);
    }

    private Sent outcome(Due d, Integer statusCode, String error) {
        return outcome(d, statusCode, error, Duration.ZERO);
    }

    /**
     * {@code error} null: delivered. A deleted webhook's delivery is given up at once. The next attempt waits the
     * backoff, or {@code asked} (the receiver's Retry-After) when that is longer.
     */
    private Sent outcome(Due d, Integer statusCode, String error, Duration asked) {
        int attempt = d.attempts() + 1;
        if (error == null) {
            LOG.infof("job=%s webhook=%d delivery=%d delivered attempt=%d status=%d", d.jobId(), d.webhookId(), d.id(),
                    attempt, statusCode);
            return Sent.delivered(d.id(), statusCode, Instant.now());
        }
        boolean giveUp = d.webhookDeleted() || attempt >= config.maxAttempts();
        LOG.warnf("job=%s webhook=%d delivery=%d attempt=%d failed: %s%s", d.jobId(), d.webhookId(), d.id(), attempt,
                error, giveUp ? "; giving up" : "; will retry");
        Duration wait = backoff(attempt);
        Instant next = Instant.now().plus(asked.compareTo(wait) > 0 ? asked : wait);
        return giveUp ? Sent.gaveUp(d.id(), statusCode, error, next) : Sent.retried(d.id(), statusCode, error, next);
    }

    /**
     * The crossjobs format: the CloudEvent as stored, signed. A chat format: the message rendered from it, unsigned
     * (Slack's and Discord's URLs are their secret; they read no signature header).
     */
    private Uni<HttpResponse<String>> post(Due d) {
        Target target = d.target();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url()))
                .timeout(config.timeout())
                .header("X-Crossjobs-Delivery", String.valueOf(d.id()));
        if (target.format().isChat()) {
            String body = webhooks.chatBody(target.format(), target.template(), d.payload(), d.jobSubmittedAt());
            request.header("Content-Type", "application/json; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                    .header(WebhookSignatures.HEADER, WebhookSignatures.sign(target.secret(), d.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.payload()));
        }
        return Uni.createFrom().completionStage(() -> http.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** initial × 2^(attempts−1), capped. */
    Duration backoff(int attempts) {
        Duration wait = config.initialBackoff();
        for (int i = 1; i < attempts && wait.compareTo(config.maxBackoff()) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }
}

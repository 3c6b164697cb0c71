package io.crossjobs.jobapi.messaging;

import io.crossjobs.jobapi.config.WebhookConfig;
import io.crossjobs.jobapi.model.Webhook;
import io.crossjobs.jobapi.model.WebhookDelivery;
import io.crossjobs.jobapi.repository.WebhookDeliveryRepository;
import io.crossjobs.jobapi.repository.WebhookRepository;
import io.crossjobs.jobapi.service.WebhookSignatures;
import io.crossjobs.jobapi.service.WebhookTargets;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sends due webhook deliveries: a scan of the deliveries table every {@code jobapi.webhooks.poll-interval},
 * each due row POSTed asynchronously (no thread per delivery). A 2xx answer marks it DELIVERED; anything
 * else schedules the next attempt after an exponentially growing wait, until {@code max-attempts} (FAILED).
 * Deliveries are at least once: receivers deduplicate by the CloudEvent {@code id}.
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 50;

    private final WebhookRepository webhooks;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookConfig config;
    private final HttpClient http;

    private final WebhookTargets targets;

    public WebhookDispatcher(WebhookRepository webhooks, WebhookDeliveryRepository deliveries, WebhookConfig config,
                             WebhookTargets targets) {
        this.targets = targets;
        this.webhooks = webhooks;
        this.deliveries = deliveries;
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Scheduled(every = "${jobapi.webhooks.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> scan() {
        // the HTTP client completes on its own threads; the database is used on this Vert.x context only
        Context context = Vertx.currentContext();
        return Panache.withSession(() -> deliveries.due(Instant.now(), BATCH).chain(due -> {
            if (due.isEmpty()) return Uni.createFrom().item(List.<Due>of());
            List<Long> ids = due.stream().map(d -> d.webhookId).distinct().toList();
            return webhooks.list("id in ?1", ids).map(hooks -> {
                Map<Long, Webhook> byId = hooks.stream().collect(Collectors.toMap(w -> w.id, w -> w));
                return due.stream().map(d -> new Due(d, byId.get(d.webhookId))).toList();
            });
        })).chain(due -> {
            if (due.isEmpty()) return Uni.createFrom().voidItem();
            List<Uni<Outcome>> sends = due.stream().map(this::send).toList();
            return Uni.join().all(sends).andFailFast()
                    .emitOn(command -> context.runOnContext(ignored -> command.run()))
                    .chain(outcomes -> Panache.withTransaction(() -> record(outcomes, 0)));
        });
    }

    private Uni<Outcome> send(Due due) {
        WebhookDelivery d = due.delivery();
        Webhook w = due.webhook();
        if (w == null || w.deletedAt != null) return Uni.createFrom().item(new Outcome(d, w, null, "webhook deleted"));
        // resolved again before each delivery: a name registered as public may point inside later
        return Uni.createFrom().item(() -> targets.refusal(w.url))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(refusal -> refusal.isPresent()
                        ? Uni.createFrom().item(new Outcome(d, w, null, "refused: url " + refusal.get()))
                        : post(w, d).map(r -> new Outcome(d, w, r.statusCode(),
                                r.statusCode() >= 200 && r.statusCode() < 300 ? null : "HTTP " + r.statusCode())))
                .onFailure().recoverWithItem(e -> new Outcome(d, w, null, e.toString()));
    }

    private Uni<Void> record(List<Outcome> outcomes, int from) {
        if (from >= outcomes.size()) return Uni.createFrom().voidItem();
        Outcome o = outcomes.get(from);
        WebhookDelivery d = o.delivery();
        int attempt = d.attempts + 1;
        Uni<Integer> update;
        if (o.error() == null) {
            LOG.infof("job=%s webhook=%d delivery=%d delivered attempt=%d status=%d", d.jobId, d.webhookId, d.id,
                    attempt, o.statusCode());
            update = deliveries.delivered(d.id, o.statusCode(), Instant.now());
        } else {
            boolean giveUp = o.webhook() == null || o.webhook().deletedAt != null || attempt >= config.maxAttempts();
            LOG.warnf("job=%s webhook=%d delivery=%d attempt=%d failed: %s%s", d.jobId, d.webhookId, d.id, attempt,
                    o.error(), giveUp ? "; giving up" : "; will retry");
            update = deliveries.failed(d.id, o.statusCode(), o.error(), Instant.now().plus(backoff(attempt)), giveUp);
        }
        return update.chain(() -> record(outcomes, from + 1));
    }

    private Uni<HttpResponse<Void>> post(Webhook w, WebhookDelivery d) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(w.url))
                .timeout(config.timeout())
                .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
                .header(WebhookSignatures.HEADER, WebhookSignatures.sign(w.secret, d.payload))
                .header("X-Crossjobs-Delivery", String.valueOf(d.id))
                .POST(HttpRequest.BodyPublishers.ofString(d.payload)).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
    }

    private record Due(WebhookDelivery delivery, Webhook webhook) { }

    private record Outcome(WebhookDelivery delivery, Webhook webhook, Integer statusCode, String error) { }

    /** initial × 2^(attempts−1), capped. */
    Duration backoff(int attempts) {
        Duration wait = config.initialBackoff();
        for (int i = 1; i < attempts && wait.compareTo(config.maxBackoff()) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : wait;
    }
}

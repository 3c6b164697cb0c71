package io.crossjobs.jobapi.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.jobapi.config.LimitsConfig;
import io.crossjobs.jobapi.config.WebhookConfig;
import io.crossjobs.jobapi.model.DeliveryView;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.model.Webhook;
import io.crossjobs.jobapi.model.WebhookFormat;
import io.crossjobs.jobapi.model.WebhookRequest;
import io.crossjobs.jobapi.model.WebhookView;
import io.crossjobs.jobapi.repository.WebhookDeliveryRepository;
import io.crossjobs.jobapi.repository.WebhookRepository;
import io.crossjobs.service.messaging.MessagingConfig;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Webhook registrations, their delivery log, and the CloudEvent a delivery carries. Deliveries are enqueued with the
 * status change they announce ({@code StatusChangeStore}) and sent by {@code WebhookDispatcher}.
 */
@ApplicationScoped
public class WebhookService {
    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PRIVATE_HOST = Pattern.compile(
            "localhost|.*\\.localhost|127\\..*|10\\..*|192\\.168\\..*|169\\.254\\..*|0\\.0\\.0\\.0"
                    + "|172\\.(1[6-9]|2[0-9]|3[01])\\..*|\\[?::1?]?|\\[?f[cd][0-9a-f]{2}:.*|\\[?fe80:.*");

    /** The first key of the owners' advisory locks around a registration ("HOOK"); the second is the owner's hash. */
    private static final int WEBHOOK_LOCK_SPACE = 0x484F4F4B;
    private static final String LOCK_OWNER = "select 1 from (select pg_advisory_xact_lock(:space, hashtext(:owner))) l";

    private final WebhookRepository webhooks;
    private final LimitsConfig limits;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookConfig config;
    private final MessagingConfig messaging;
    private final ObjectMapper mapper;

    public WebhookService(WebhookRepository webhooks, WebhookDeliveryRepository deliveries, WebhookConfig config,
                          MessagingConfig messaging, ObjectMapper mapper, LimitsConfig limits) {
        this.webhooks = webhooks;
        this.limits = limits;
        this.deliveries = deliveries;
        this.config = config;
        this.messaging = messaging;
        this.mapper = mapper;
    }

    /** Registers a webhook; {@code resolutionErrors}: the url's problems {@link WebhookTargets#check} found before. */
    @WithTransaction
    public Uni<WebhookView> create(WebhookRequest request, Caller caller, List<FieldError> resolutionErrors) {
        List<FieldError> errors = new ArrayList<>();
        validateUrl(request.url(), errors);
        if (errors.isEmpty()) errors.addAll(resolutionErrors);
        Set<String> statuses = statuses(request, errors);
        WebhookFormat format = format(request.format(), errors);
        if (request.template() != null && format != null) {
            if (!format.isChat()) {
                errors.add(new FieldError("template", "applies to the chat formats (slack, discord) only; the "
                        + "crossjobs format sends the event itself"));
            } else {
                ChatMessages.problems(request.template()).forEach(p -> errors.add(new FieldError("template", p)));
            }
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        if (caller.admin()) return persist(request, caller, statuses, format);
        int cap = limits.webhooksPerUser();
        // the owner's lock until the end of this transaction: two registrations cannot both take the last place
        return Panache.getSession().chain(s -> s.createNativeQuery(LOCK_OWNER, Integer.class)
                        .setParameter("space", WEBHOOK_LOCK_SPACE).setParameter("owner", caller.name()).getSingleResult())
                .chain(() -> webhooks.count("deletedAt is null and owner = ?1", caller.name()))
                .chain(registered -> {
                    if (registered >= cap) {
                        throw new LimitReachedException(LimitReachedException.Cap.WEBHOOKS_PER_USER, cap, registered,
                                caller.name() + " has " + registered + " webhooks, the most "
                                        + "jobapi.limits.webhooks-per-user allows (" + cap + "); delete one first");
                    }
                    return persist(request, caller, statuses, format);
                });
    }

    private Uni<WebhookView> persist(WebhookRequest request, Caller caller, Set<String> statuses,
                                     WebhookFormat format) {
        Webhook w = new Webhook();
        w.owner = caller.name();
        w.admin = caller.admin();
        w.url = request.url();
        w.statuses = String.join(",", statuses);
        w.format = format.wireName();
        w.template = request.template();
        w.secret = format.isChat() ? null : newSecret();
        w.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return webhooks.persist(w)
                .invoke(saved -> LOG.infof("webhook=%d created owner=%s format=%s url=%s statuses=%s", saved.id,
                        saved.owner, saved.format, logged(saved), saved.statuses.isEmpty() ? "all" : saved.statuses))
                .map(saved -> WebhookView.of(saved, saved.secret));
    }

    /** {@code statuses} or {@code notify_on} (the same list, by SkyPilot's name), as JobStatus names. */
    private static Set<String> statuses(WebhookRequest request, List<FieldError> errors) {
        if (request.statuses() != null && request.notifyOn() != null) {
            errors.add(new FieldError("notify_on", "give statuses or notify_on (the same list), not both"));
            return Set.of();
        }
        String field = request.notifyOn() != null ? "notify_on" : "statuses";
        List<String> asked = request.notifyOn() != null ? request.notifyOn()
                : request.statuses() == null ? List.of() : request.statuses();
        Set<String> statuses = new LinkedHashSet<>();
        for (int i = 0; i < asked.size(); i++) {
            if (asked.get(i) == null) continue; // bean validation names it
            try {
                statuses.add(JobStatus.valueOf(asked.get(i).trim().toUpperCase(Locale.ROOT)).name());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(field + "[" + i + "]", "'" + asked.get(i) + "' is not a job status"));
            }
        }
        return statuses;
    }

    /** The format asked for, {@code crossjobs} when absent; null (and an error) when it is not one. */
    private static WebhookFormat format(String written, List<FieldError> errors) {
        if (written == null) return WebhookFormat.CROSSJOBS;
        Optional<WebhookFormat> format = WebhookFormat.parse(written);
        if (format.isEmpty()) {
            errors.add(new FieldError("format", "'" + written + "' is not a format; one of " + WebhookFormat.known()));
        }
        return format.orElse(null);
    }

    /** A chat webhook's URL is its secret: the log shows its scheme and host only. */
    private static String logged(Webhook w) {
        if (!WebhookFormat.parse(w.format).orElseThrow().isChat()) return w.url;
        URI uri = URI.create(w.url);
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/...";
    }

    private static String newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return HexFormat.of().formatHex(secret);
    }

    @WithSession
    public Uni<List<WebhookView>> list(Caller caller) {
        return webhooks.live(caller.admin() ? null : caller.name())
                .map(rows -> rows.stream().map(w -> WebhookView.of(w, null)).toList());
    }

    @WithTransaction
    public Uni<Void> delete(String id, Caller caller) {
        long webhookId = JobIds.parse(id).orElseThrow(() -> notFound(id));
        return webhooks.delete(webhookId, caller.admin() ? null : caller.name(), Instant.now()).invoke(n -> {
            if (n == 0) throw notFound(id);
        }).replaceWithVoid();
    }

    @WithSession
    public Uni<List<DeliveryView>> deliveries(String id, Caller caller) {
        long webhookId = JobIds.parse(id).orElseThrow(() -> notFound(id));
        return webhooks.findById(webhookId).chain(w -> {
            if (w == null || !caller.maySee(w.owner)) return Uni.createFrom().failure(notFound(id));
            return deliveries.ofWebhook(webhookId).map(rows -> rows.stream().map(DeliveryView::of).toList());
        });
    }

    /** CloudEvents 1.0 structured mode: the attributes and the JobStatusChanged as {@code data}. */
    public String cloudEvent(String eventId, JobStatusChanged e) {
        ObjectNode event = mapper.createObjectNode()
                .put("specversion", "1.0")
                .put("id", eventId)
                .put("source", messaging.source())
                .put("type", EventType.JOB_STATUS_CHANGED.ceType())
                .put("subject", e.jobId())
                .put("time", (e.at() == null ? Instant.now() : e.at()).toString())
                .put("datacontenttype", "application/json");
        event.set("data", mapper.valueToTree(e));
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode status event " + eventId, ex);
        }
    }

    /**
     * The body of a chat-format delivery: the message rendered from the status change the delivery holds (the
     * CloudEvent {@link #cloudEvent} wrote) with the webhook's template, null for the format's default.
     */
    public String chatBody(WebhookFormat format, String template, String cloudEvent, Instant submittedAt) {
        try {
            JobStatusChanged e = mapper.treeToValue(mapper.readTree(cloudEvent).get("data"), JobStatusChanged.class);
            return mapper.writeValueAsString(ChatMessages.body(format, template, e, submittedAt));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot read the status event of a delivery", ex);
        }
    }

    private void validateUrl(String url, List<FieldError> errors) {
        if (url == null || url.isBlank()) return; // bean validation names it
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                errors.add(new FieldError("url", "must be an http or https URL"));
            } else if (uri.getHost() == null || uri.getHost().isBlank()) {
                errors.add(new FieldError("url", "must name a host"));
            } else if (uri.getUserInfo() != null) {
                errors.add(new FieldError("url", "must not carry credentials; verify the signature header instead"));
            } else if (!config.allowPrivateHosts()
                    && PRIVATE_HOST.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches()) {
                errors.add(new FieldError("url", "must not name a loopback, private or link-local host"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError("url", "is not a URL: " + e.getReason()));
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("webhook " + id + " not found");
    }
}

package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.WebhookDelivery;
import io.crossjobs.jobapi.model.WebhookFormat;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * webhook_deliveries as the dispatcher works them, over the SQL client: the due rows with their webhook's target and
 * their job's submission time, and what each send came to. (Deliveries are written with the status change they
 * announce, by {@link StatusChangeStore}; REST reads them through {@link WebhookDeliveryRepository}.)
 */
@ApplicationScoped
public class WebhookDeliveryStore {
    private static final String DUE = """
            select d.id, d.webhook_id, d.job_id, d.payload, d.attempts, j.submitted_at, w.url, w.format, w.template,
                   w.secret, w.deleted_at is not null as webhook_deleted
            from webhook_deliveries d join webhooks w on w.id = d.webhook_id
                -- a delivery is written only for a job of this service, whose id is decimal (JobIds)
                left join jobs j on j.id = d.job_id::bigint
            where d.state = '%s' and d.next_attempt_at <= #{now}
            order by d.next_attempt_at, d.id limit #{limit}""".formatted(WebhookDelivery.PENDING);
    /** Null {@code nextAttemptAt} / {@code deliveredAt} leave the column as it is. */
    private static final String SENT = """
            update webhook_deliveries set state = #{state}, attempts = attempts + 1,
                last_status_code = #{statusCode}::int, last_error = #{error}::text,
                next_attempt_at = coalesce(#{nextAttemptAt}::timestamptz, next_attempt_at),
                delivered_at = coalesce(#{deliveredAt}::timestamptz, delivered_at)
            where id = #{id}""";

    private final Pool pool;

    public WebhookDeliveryStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * A delivery due to be sent: its status event ({@code payload}, the CloudEvent), when its job was submitted
     * (null if the job is gone), and its webhook.
     */
    public record Due(long id, long webhookId, String jobId, String payload, int attempts, Instant jobSubmittedAt,
                      Target target) {
        public boolean webhookDeleted() {
            return target.deleted();
        }
    }

    /**
     * Where and how a delivery goes: its webhook's URL and format; {@code secret} signs a crossjobs-format body,
     * {@code template} renders a chat format's (null: the format's default).
     */
    public record Target(String url, WebhookFormat format, String secret, String template, boolean deleted) { }

    /** What one send came to: the delivery's next state and what to show of the answer. */
    public record Sent(long id, String state, Integer statusCode, String error, Instant nextAttemptAt,
                       Instant deliveredAt) {
        public static Sent delivered(long id, int statusCode, Instant at) {
            return new Sent(id, WebhookDelivery.DELIVERED, statusCode, null, null, at);
        }

        /** Failed; sent again at {@code nextAttemptAt}. */
        public static Sent retried(long id, Integer statusCode, String error, Instant nextAttemptAt) {
            return new Sent(id, WebhookDelivery.PENDING, statusCode, error, nextAttemptAt, null);
        }

        /** Failed for the last time. */
        public static Sent gaveUp(long id, Integer statusCode, String error, Instant nextAttemptAt) {
            return new Sent(id, WebhookDelivery.FAILED, statusCode, error, nextAttemptAt, null);
        }

        Map<String, Object> parameters() {
            Map<String, Object> p = new HashMap<>();
            p.put("id", id);
            p.put("state", state);
            p.put("statusCode", statusCode);
            p.put("error", error);
            p.put("nextAttemptAt", utc(nextAttemptAt));
            p.put("deliveredAt", utc(deliveredAt));
            return p;
        }
    }

    /** Pending deliveries whose time has come, the longest waiting first. */
    public Uni<List<Due>> due(Instant now, int limit) {
        Map<String, Object> parameters = Map.of("now", utc(now), "limit", limit);
        return pool.withConnection(c -> SqlTemplate.forQuery(c, DUE).execute(parameters)).map(rows -> {
            List<Due> due = new ArrayList<>(rows.size());
            for (Row r : rows) {
                Target target = new Target(r.getString("url"), WebhookFormat.parse(r.getString("format")).orElseThrow(),
                        r.getString("secret"), r.getString("template"), r.getBoolean("webhook_deleted"));
                OffsetDateTime submitted = r.getOffsetDateTime("submitted_at");
                due.add(new Due(r.getLong("id"), r.getLong("webhook_id"), r.getString("job_id"), r.getString("payload"),
                        r.getInteger("attempts"), submitted == null ? null : submitted.toInstant(), target));
            }
            return due;
        });
    }

    /** Records every send of one scan, in one transaction. */
    public Uni<Void> record(List<Sent> sent) {
        if (sent.isEmpty()) return Uni.createFrom().voidItem();
        List<Map<String, Object>> batch = sent.stream().map(Sent::parameters).toList();
        return pool.withTransaction(conn -> SqlTemplate.forUpdate(conn, SENT).executeBatch(batch)).replaceWithVoid();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}

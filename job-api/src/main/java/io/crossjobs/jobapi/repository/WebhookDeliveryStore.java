package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.WebhookDelivery;
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
 * webhook_deliveries as the dispatcher works them, over the SQL client: the due rows with their webhook's target,
 * and what each send came to. (Deliveries are written with the status change they announce, by
 * {@link StatusChangeStore}; REST reads them through {@link WebhookDeliveryRepository}.)
 */
@ApplicationScoped
public class WebhookDeliveryStore {
    private static final String DUE = """
            select d.id, d.webhook_id, d.job_id, d.payload, d.attempts, w.url, w.secret,
                   w.deleted_at is not null as webhook_deleted
            from webhook_deliveries d join webhooks w on w.id = d.webhook_id
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

    /** A delivery due to be sent, and where to: its webhook's URL and secret. */
    public record Due(long id, long webhookId, String jobId, String payload, int attempts, String url, String secret,
                      boolean webhookDeleted) { }

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
                due.add(new Due(r.getLong("id"), r.getLong("webhook_id"), r.getString("job_id"), r.getString("payload"),
                        r.getInteger("attempts"), r.getString("url"), r.getString("secret"),
                        r.getBoolean("webhook_deleted")));
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

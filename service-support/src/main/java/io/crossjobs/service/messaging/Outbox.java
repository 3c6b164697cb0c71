package io.crossjobs.service.messaging;

import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The outbox table: events written in the transaction (best: the statement) of the change they announce, published
 * by {@link OutboxRelay}. A statement that writes its rows itself names {@link #COLUMNS} and binds the values of
 * {@link #row}.
 */
public final class Outbox {
    /** The columns a writer fills, in this order; {@code id} and {@code published_at} are the relay's. */
    public static final String COLUMNS = "event_id, event_type, job_id, topic, payload, created_at";
    private static final String INSERT = "insert into outbox (" + COLUMNS + ")"
            + " values (#{eventId}, #{eventType}, #{jobId}, #{topic}, #{payload}, #{createdAt})";
    /** Each parameter an array holding one column, an element per row; {@code ordinality} keeps their order in ids. */
    private static final String INSERT_ALL = "insert into outbox (" + COLUMNS + ")"
            + " select e, t, j, tp, p, c from unnest(#{eventId}::varchar[], #{eventType}::varchar[], #{jobId}::varchar[],"
            + " #{topic}::varchar[], #{payload}::text[], #{createdAt}::timestamptz[])"
            + " with ordinality as u(e, t, j, tp, p, c, n) order by n";

    /**
     * One row to write: {@code eventId} is the CloudEvents id, the same on every re-send so consumers skip
     * duplicates; {@code topic} null means the outbox channel's own topic; the record's key is {@code jobId}.
     */
    public record Row(String eventId, String eventType, String jobId, String topic, String payload, Instant createdAt) {
        public Map<String, Object> parameters() {
            java.util.HashMap<String, Object> p = new java.util.HashMap<>();
            p.put("eventId", eventId);
            p.put("eventType", eventType);
            p.put("jobId", jobId);
            p.put("topic", topic);
            p.put("payload", payload);
            p.put("createdAt", createdAt.atOffset(ZoneOffset.UTC));
            return p;
        }
    }

    /** The row announcing {@code event} with a fresh event id; not yet written. */
    public static Row row(JobEvent event, String topic, Instant at) {
        return new Row(UUID.randomUUID().toString(), EventType.of(event).ceType(), event.jobId(), topic,
                EventCodec.encode(event), at);
    }

    /** Writes the row announcing {@code event} on {@code client}: call it inside the change's transaction. */
    public static Uni<Void> insert(SqlClient client, JobEvent event, String topic, Instant at) {
        return SqlTemplate.forUpdate(client, INSERT).execute(row(event, topic, at).parameters()).replaceWithVoid();
    }

    /** Writes {@code rows} on {@code client} in one statement, in their order: call it inside the change's transaction. */
    public static Uni<Void> insertAll(SqlClient client, List<Row> rows) {
        if (rows.isEmpty()) return Uni.createFrom().voidItem();
        int n = rows.size();
        String[] eventId = new String[n], eventType = new String[n], jobId = new String[n], topic = new String[n],
                payload = new String[n];
        OffsetDateTime[] createdAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            eventId[i] = r.eventId();
            eventType[i] = r.eventType();
            jobId[i] = r.jobId();
            topic[i] = r.topic();
            payload[i] = r.payload();
            createdAt[i] = r.createdAt().atOffset(ZoneOffset.UTC);
        }
        Map<String, Object> columns = new HashMap<>();
        columns.put("eventId", eventId);
        columns.put("eventType", eventType);
        columns.put("jobId", jobId);
        columns.put("topic", topic);
        columns.put("payload", payload);
        columns.put("createdAt", createdAt);
        return SqlTemplate.forUpdate(client, INSERT_ALL).execute(columns).replaceWithVoid();
    }

    private Outbox() { }
}

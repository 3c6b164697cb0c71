package io.crossjobs.jobapi.parked;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.service.messaging.ParkedRecord;
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

/** The parked_events table, on the SQL client, bound by name (templates need a connection, not the pool's proxy). */
@ApplicationScoped
public class ParkedEventStore {
    private static final String INSERT = """
            insert into parked_events (id, record_key, origin_topic, origin_partition, origin_offset, event_type,
                                       reason, cause, payload, headers, parked_at)
            values (#{id}, #{key}, #{originTopic}, #{originPartition}, #{originOffset}, #{eventType}, #{reason},
                    #{cause}, #{payload}, #{headers}, #{parkedAt})
            on conflict (id) do nothing""";
    private static final String COLUMNS = """
            id, record_key, origin_topic, origin_partition, origin_offset, event_type, reason, cause, payload, headers,
            parked_at, replayed_at, replayed_by""";
    private static final String LIST = "select " + COLUMNS + " from parked_events"
            + " where (#{all} or replayed_at is null) order by parked_at desc, id limit #{limit}";
    private static final String FIND = "select " + COLUMNS + " from parked_events where id = #{id}";
    private static final String MARK_REPLAYED = """
            update parked_events set replayed_at = #{at}, replayed_by = #{by} where id = #{id}""";
    private static final String PURGE = "delete from parked_events where parked_at < #{before}";
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() { };

    private final Pool pool;
    private final ObjectMapper json;

    public ParkedEventStore(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** True when the record was new here (a redelivery of the parked record changes nothing). */
    public Uni<Boolean> store(ParkedRecord parked, Instant now) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", parked.id());
        p.put("key", parked.key());
        p.put("originTopic", parked.origin().topic() == null ? "(unknown)" : parked.origin().topic());
        p.put("originPartition", parked.origin().partition());
        p.put("originOffset", parked.origin().offset());
        p.put("eventType", parked.eventType());
        p.put("reason", parked.reason() == null ? "(no reason given)" : parked.reason());
        p.put("cause", parked.cause());
        p.put("payload", parked.payload());
        p.put("headers", write(parked.headers()));
        p.put("parkedAt", utc(parked.parkedAt() == null ? now : parked.parkedAt()));
        return pool.withConnection(c -> SqlTemplate.forUpdate(c, INSERT).execute(p)).map(r -> r.rowCount() == 1);
    }

    public Uni<List<ParkedEventView>> list(boolean includeReplayed, int limit) {
        return pool.withConnection(c -> SqlTemplate.forQuery(c, LIST)
                .execute(Map.of("all", includeReplayed, "limit", limit))).map(rows -> {
            List<ParkedEventView> views = new ArrayList<>();
            for (Row r : rows) views.add(view(r));
            return views;
        });
    }

    /** Null when there is no such parked record. */
    public Uni<ParkedEventView> find(String id) {
        return pool.withConnection(c -> SqlTemplate.forQuery(c, FIND).execute(Map.of("id", id)))
                .map(rows -> rows.iterator().hasNext() ? view(rows.iterator().next()) : null);
    }

    public Uni<Void> markReplayed(String id, String by, Instant at) {
        return pool.withConnection(c -> SqlTemplate.forUpdate(c, MARK_REPLAYED)
                .execute(Map.of("id", id, "by", by, "at", utc(at)))).replaceWithVoid();
    }

    /** Deletes the records parked before {@code before}, replayed or not; returns how many. */
    public Uni<Integer> purgeParkedBefore(Instant before) {
        return pool.withConnection(c -> SqlTemplate.forUpdate(c, PURGE).execute(Map.of("before", utc(before))))
                .map(rows -> rows.rowCount());
    }

    private ParkedEventView view(Row r) {
        return new ParkedEventView(r.getString("id"), r.getString("record_key"), r.getString("origin_topic"),
                r.getInteger("origin_partition"), r.getLong("origin_offset"), r.getString("event_type"),
                r.getString("reason"), r.getString("cause"), r.getString("payload"), read(r.getString("headers")),
                instant(r.getOffsetDateTime("parked_at")), instant(r.getOffsetDateTime("replayed_at")),
                r.getString("replayed_by"));
    }

    private String write(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> read(String headers) {
        try {
            return json.readValue(headers, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}

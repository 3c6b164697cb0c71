package io.crossjobs.controller.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The outbox: rows are written by {@link LifecycleStore}, published by the relay through the SQL client here. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, Long> {
    /** Arbitrary but fixed: the advisory lock key of the relay lease. */
    private static final long RELAY_LEASE_KEY = 0x63726f73736a6f62L;   // "crossjob"
    private static final String NEXT_BATCH = """
            select id, event_id, job_id, event_type, topic, payload, created_at from outbox
            where published_at is null order by id limit $1""";
    private static final String MARK_PUBLISHED = "update outbox set published_at = $1 where id = any($2)";

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** True if this transaction now holds the relay lease (released at commit or rollback). */
    public Uni<Boolean> tryRelayLease(SqlConnection conn) {
        return conn.preparedQuery("select pg_try_advisory_xact_lock($1)").execute(Tuple.of(RELAY_LEASE_KEY))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** The oldest unpublished rows, in the order they were written. */
    public Uni<List<OutboxEntity>> nextBatch(SqlConnection conn, int size) {
        return conn.preparedQuery(NEXT_BATCH).execute(Tuple.of(size)).map(rows -> {
            List<OutboxEntity> batch = new ArrayList<>(rows.size());
            for (Row r : rows) {
                OutboxEntity e = new OutboxEntity();
                e.id = r.getLong("id");
                e.eventId = r.getString("event_id");
                e.jobId = r.getString("job_id");
                e.eventType = r.getString("event_type");
                e.topic = r.getString("topic");
                e.payload = r.getString("payload");
                e.createdAt = r.getOffsetDateTime("created_at").toInstant();
                batch.add(e);
            }
            return batch;
        });
    }

    public Uni<Integer> markPublished(SqlConnection conn, List<Long> ids, Instant at) {
        return conn.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(at.atOffset(ZoneOffset.UTC), ids.toArray(Long[]::new)))
                .map(SqlResult::rowCount);
    }

    public Uni<Long> purgePublishedBefore(Instant cutoff) {
        return delete("publishedAt < ?1", cutoff);
    }
}

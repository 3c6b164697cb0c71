package io.crossjobs.jobapi.repository;

import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.crossjobs.jobapi.model.OutboxEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntry, Long> {
    private static final String UNPUBLISHED = """
            select id, event_id, event_type, job_id, payload, created_at, topic from outbox
            where published_at is null order by id limit $1""";
    private static final String MARK_PUBLISHED =
            "update outbox set published_at = $1 where id = any($2) and published_at is null";

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores the event for the relay; call inside the transaction of the change it announces. */
    public Uni<OutboxEntry> append(JobEvent event, Instant at) {
        return persist(entryFor(event, at));
    }

    /** The row announcing {@code event}, with a fresh CloudEvents id; not yet stored. */
    public static OutboxEntry entryFor(JobEvent event, Instant at) {
        OutboxEntry entry = new OutboxEntry();
        entry.eventId = UUID.randomUUID();
        entry.eventType = EventType.of(event).ceType();
        entry.jobId = event.jobId();
        entry.payload = EventCodec.encode(event);
        entry.createdAt = at;
        return entry;
    }

    /** The oldest unpublished rows, in publication order. The relay's reads and marks go through the SQL client. */
    public Uni<List<OutboxEntry>> unpublished(int limit) {
        return pool.preparedQuery(UNPUBLISHED).execute(Tuple.of(limit)).map(rows -> {
            List<OutboxEntry> entries = new ArrayList<>(rows.size());
            for (Row r : rows) {
                OutboxEntry e = new OutboxEntry();
                e.id = r.getLong("id");
                e.eventId = r.getUUID("event_id");
                e.eventType = r.getString("event_type");
                e.jobId = r.getString("job_id");
                e.payload = r.getString("payload");
                e.createdAt = r.getOffsetDateTime("created_at").toInstant();
                e.topic = r.getString("topic");
                entries.add(e);
            }
            return entries;
        });
    }

    public Uni<Integer> markPublished(List<Long> ids, Instant at) {
        return pool.preparedQuery(MARK_PUBLISHED)
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), ids.toArray(Long[]::new)))
                .map(SqlResult::rowCount);
    }

    public Uni<Long> purgePublishedBefore(Instant cutoff) {
        return delete("publishedAt < ?1", cutoff);
    }
}

package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** One outbox row for the relay, in the caller's transaction: the event goes to {@code topic}, keyed by its job id. */
public final class OutboxRows {

    public static Uni<Void> insert(SqlClient c, JobEvent event, String topic, Instant at) {
        Map<String, Object> params = new HashMap<>();
        params.put("eventId", UUID.randomUUID());
        params.put("type", EventType.of(event).ceType());
        params.put("key", event.jobId());
        params.put("payload", EventCodec.encode(event));
        params.put("at", at.atOffset(ZoneOffset.UTC));
        params.put("topic", topic);
        return SqlTemplate.forUpdate(c, """
                insert into outbox (event_id, event_type, job_id, payload, created_at, topic)
                values (#{eventId}, #{type}, #{key}, #{payload}, #{at}, #{topic})""").execute(params).replaceWithVoid();
    }

    private OutboxRows() { }
}

package io.crossjobs.jobapi.repository;

import io.crossjobs.events.EventType;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Placement;
import io.crossjobs.service.messaging.Inbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Applies one JobStatusChanged to the read model in one transaction and, in the usual case, one statement: the
 * inbox row (a duplicate changes nothing), the guarded update of the job, its history row, and whether any
 * webhook wants it. Only then are deliveries written, with the event encoded for them. Status changes are most of
 * what job-api consumes, so this runs on the SQL client, not through the ORM.
 */
@ApplicationScoped
public class StatusChangeStore {
    /** Placement columns change only when the event carries a placement, so a finished job keeps showing where it ran. */
    private static final String APPLY = """
            with fresh as (%s
            ), changed as (
                update jobs set status = $5, status_changed_at = $6, attempt = $7, recovery_count = $8,
                    restart_count = $9, cost_so_far = coalesce($10::float8, cost_so_far), task_index = $11,
                    failure_reason = coalesce($12::varchar, failure_reason), exit_code = coalesce($13::int, exit_code),
                    started_at = coalesce(started_at, $14::timestamptz), ended_at = $15::timestamptz,
                    cloud = case when $16 then $17::varchar else cloud end,
                    region = case when $16 then $18::varchar else region end,
                    zone = case when $16 then $19::varchar else zone end,
                    instance_type = case when $16 then $20::varchar else instance_type end,
                    spot = case when $16 then $21::boolean else spot end,
                    price_per_hour = case when $16 then $22::float8 else price_per_hour end
                where id = $4::bigint and exists (select 1 from fresh)
                returning id, owner
            ), recorded as (
                insert into job_events (job_id, event_id, from_status, to_status, reason, failure_reason, exit_code,
                                        attempt, at)
                select id, $1::varchar, $23::varchar, $5::varchar, $24::text, $12::varchar, $13::int, $7::int, $6::timestamptz
                from changed
            )
            select exists (select 1 from fresh), exists (select 1 from changed),
                   exists (select 1 from changed c join webhooks w on w.deleted_at is null
                           and (w.owner = c.owner or w.admin)
                           and (w.statuses = '' or position(',' || $5 || ',' in ',' || w.statuses || ',') > 0))"""
            .formatted(Inbox.recordFirst("$1", "$2", "$25", "$3"));
    private static final String DELIVER = """
            insert into webhook_deliveries (webhook_id, event_id, job_id, payload, next_attempt_at, created_at)
            select w.id, $1::varchar, $2::varchar, $3::text, $4::timestamptz, $4::timestamptz
            from webhooks w join jobs j on j.id = $5::bigint
            where w.deleted_at is null and (w.owner = j.owner or w.admin)
              and (w.statuses = '' or position(',' || $6::varchar || ',' in ',' || w.statuses || ',') > 0)
            on conflict (webhook_id, event_id) do nothing""";

    private final Pool pool;

    public StatusChangeStore(Pool pool) {
        this.pool = pool;
    }

    public enum Outcome { APPLIED, DUPLICATE, UNKNOWN_JOB }

    /**
     * {@code jobId} null: not a job id this service issues, so only the inbox row is written. {@code payload} is
     * called only when some webhook wants this change.
     */
    public Uni<Outcome> apply(String eventId, Long jobId, JobStatusChanged e, Instant at, Instant now,
                              Supplier<String> payload) {
        return pool.withTransaction(conn -> conn.preparedQuery(APPLY).execute(applyParams(eventId, jobId, e, at, now))
                .chain(rows -> {
                    Row r = rows.iterator().next();
                    if (!r.getBoolean(0)) return Uni.createFrom().item(Outcome.DUPLICATE);
                    if (!r.getBoolean(1)) return Uni.createFrom().item(Outcome.UNKNOWN_JOB);
                    if (!r.getBoolean(2)) return Uni.createFrom().item(Outcome.APPLIED);
                    return deliver(conn, eventId, jobId, e, now, payload.get()).replaceWith(Outcome.APPLIED);
                }));
    }

    private static Uni<?> deliver(SqlConnection conn, String eventId, Long jobId, JobStatusChanged e, Instant now,
                                  String payload) {
        return conn.preparedQuery(DELIVER).execute(Tuple.from(Arrays.asList(eventId, e.jobId(), payload, utc(now),
                jobId, e.to().name())));
    }

    private static Tuple applyParams(String eventId, Long jobId, JobStatusChanged e, Instant at, Instant now) {
        Placement p = e.placement();
        return Tuple.from(Arrays.asList(
                eventId, EventType.JOB_STATUS_CHANGED.ceType(), utc(now), jobId,
                e.to().name(), utc(at), e.attempt(), e.recoveryCount(), e.restartCount(), e.costSoFar(), e.taskIndex(),
                e.failureReason() == null ? null : e.failureReason().name(), e.exitCode(),
                e.to() == io.crossjobs.events.JobStatus.RUNNING ? utc(at) : null,
                e.to().isTerminal() ? utc(at) : null,
                p != null, p == null ? null : p.cloud(), p == null ? null : p.region(), p == null ? null : p.zone(),
                p == null ? null : p.instanceType(), p == null ? null : p.spot(), p == null ? null : p.pricePerHour(),
                e.from() == null ? null : e.from().name(), e.reason(), e.jobId()));
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}

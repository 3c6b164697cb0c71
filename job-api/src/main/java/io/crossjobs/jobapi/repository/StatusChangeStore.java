package io.crossjobs.jobapi.repository;

import io.crossjobs.events.ClusterHold;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Placement;
import io.crossjobs.jobapi.config.AuthConfig;
import io.crossjobs.service.messaging.Inbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Applies one JobStatusChanged to the read model in one transaction and, in the usual case, one statement: the
 * inbox row (a duplicate changes nothing), the guarded update of the job, its history row (with the change's task
 * and placement, which the jobs row keeps only for the latest change), and whether any
 * webhook wants it. Only then are deliveries written, with the event encoded for them. Status changes are most of
 * what job-api consumes, so this runs on the SQL client, not through the ORM. Both statements bind one set of
 * named parameters ({@link #parameters}), each named after what it holds.
 */
@ApplicationScoped
public class StatusChangeStore {
    /**
     * Whether webhook {@code w} hears the changes of a job owned by {@code %s}: its owner's, and every job's when it
     * was registered by an admin who is an admin still (the bootstrap admin, or a user with an unrevoked admin token),
     * so revoking an admin's tokens ends what their webhooks hear of other users' jobs.
     */
    private static final String WEBHOOK_HEARS = """
            w.deleted_at is null and (w.owner = %s or (w.admin and (w.owner = #{bootstrapAdmin}::varchar
                or exists (select 1 from api_tokens t where t.user_name = w.owner and t.admin and t.revoked_at is null))))""";
    /** Placement columns change only when the event carries a placement, so a finished job keeps showing where it ran. */
    private static final String APPLY = """
            with fresh as (%s
            ), changed as (
                update jobs set status = #{status}, status_changed_at = #{at}, attempt = #{attempt},
                    recovery_count = #{recoveryCount}, restart_count = #{restartCount},
                    cost_so_far = coalesce(#{costSoFar}::float8, cost_so_far), task_index = #{taskIndex},
                    failure_reason = coalesce(#{failureReason}::varchar, failure_reason),
                    exit_code = coalesce(#{exitCode}::int, exit_code),
                    started_at = coalesce(started_at, #{startedAt}::timestamptz), ended_at = #{endedAt}::timestamptz,
                    cloud = case when #{placed} then #{cloud}::varchar else cloud end,
                    region = case when #{placed} then #{region}::varchar else region end,
                    zone = case when #{placed} then #{zone}::varchar else zone end,
                    instance_type = case when #{placed} then #{instanceType}::varchar else instance_type end,
                    spot = case when #{placed} then #{spot}::boolean else spot end,
                    price_per_hour = case when #{placed} then #{pricePerHour}::float8 else price_per_hour end,
                    hold_until = coalesce(#{holdUntil}::timestamptz, hold_until),
                    hold_cluster = coalesce(#{holdCluster}::varchar, hold_cluster),
                    hold_instance_ids = coalesce(#{holdInstanceIds}::text, hold_instance_ids)
                where id = #{jobId}::bigint and exists (select 1 from fresh)
                returning id, owner
            ), recorded as (
                insert into job_events (job_id, event_id, from_status, to_status, reason, failure_reason, exit_code,
                                        attempt, at, task_index, cloud, region, zone, instance_type, spot,
                                        price_per_hour)
                select id, #{eventId}::varchar, #{fromStatus}::varchar, #{status}::varchar, #{reason}::text,
                       #{failureReason}::varchar, #{exitCode}::int, #{attempt}::int, #{at}::timestamptz,
                       #{taskIndex}::int, #{cloud}::varchar, #{region}::varchar, #{zone}::varchar,
                       #{instanceType}::varchar, #{spot}::boolean, #{pricePerHour}::float8
                from changed
            )
            select exists (select 1 from fresh) as fresh, exists (select 1 from changed) as changed,
                   (select owner from changed) as owner,
                   exists (select 1 from changed c join webhooks w on %s
                           and (w.statuses = '' or position(',' || #{status} || ',' in ',' || w.statuses || ',') > 0))
                       as wanted"""
            .formatted(Inbox.recordFirst("#{eventId}", "#{eventType}", "#{eventJobId}", "#{processedAt}"),
                    WEBHOOK_HEARS.formatted("c.owner"));
    private static final String DELIVER = """
            insert into webhook_deliveries (webhook_id, event_id, job_id, payload, next_attempt_at, created_at)
            select w.id, #{eventId}::varchar, #{eventJobId}::varchar, #{payload}::text, #{processedAt}::timestamptz,
                   #{processedAt}::timestamptz
            from webhooks w join jobs j on j.id = #{jobId}::bigint
            where %s
              and (w.statuses = '' or position(',' || #{status}::varchar || ',' in ',' || w.statuses || ',') > 0)
            on conflict (webhook_id, event_id) do nothing""".formatted(WEBHOOK_HEARS.formatted("j.owner"));

    private final Pool pool;
    private final String bootstrapAdmin;

    public StatusChangeStore(Pool pool, AuthConfig auth) {
        this.pool = pool;
        this.bootstrapAdmin = auth.bootstrapAdminUser();
    }

    public enum Outcome { APPLIED, DUPLICATE, UNKNOWN_JOB }

    /**
     * What applying a change did; {@code owner} is the job's owner as stored (null unless APPLIED): the one to route
     * the change to, whatever owner the event names.
     */
    public record Result(Outcome outcome, String owner) {
        static final Result DUPLICATE = new Result(Outcome.DUPLICATE, null);
        static final Result UNKNOWN_JOB = new Result(Outcome.UNKNOWN_JOB, null);

        public boolean applied() { return outcome == Outcome.APPLIED; }
    }

    /**
     * {@code jobId} null: not a job id this service issues, so only the inbox row is written. {@code payload} (given the
     * job's stored owner) is called only when some webhook wants this change.
     */
    public Uni<Result> apply(String eventId, Long jobId, JobStatusChanged e, Instant at, Instant now,
                             Function<String, String> payload) {
        Map<String, Object> parameters = parameters(eventId, jobId, e, at, now);
        parameters.put("bootstrapAdmin", bootstrapAdmin);
        return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, APPLY).execute(parameters).chain(rows -> {
            Row r = rows.iterator().next();
            if (!r.getBoolean("fresh")) return Uni.createFrom().item(Result.DUPLICATE);
            if (!r.getBoolean("changed")) return Uni.createFrom().item(Result.UNKNOWN_JOB);
            Result applied = new Result(Outcome.APPLIED, r.getString("owner"));
            if (!r.getBoolean("wanted")) return Uni.createFrom().item(applied);
            return deliver(conn, parameters, payload.apply(applied.owner())).replaceWith(applied);
        }));
    }

    private static Uni<?> deliver(SqlConnection conn, Map<String, Object> parameters, String payload) {
        Map<String, Object> delivery = new HashMap<>(parameters);
        delivery.put("payload", payload);
        return SqlTemplate.forUpdate(conn, DELIVER).execute(delivery);
    }

    /** The parameters of {@link #APPLY} and {@link #DELIVER} (which adds {@code payload}); values may be null. */
    private static Map<String, Object> parameters(String eventId, Long jobId, JobStatusChanged e, Instant at, Instant now) {
        Map<String, Object> p = new HashMap<>();
        p.put("eventId", eventId);
        p.put("eventType", EventType.JOB_STATUS_CHANGED.ceType());
        p.put("eventJobId", e.jobId());
        p.put("processedAt", utc(now));
        p.put("jobId", jobId);
        p.put("fromStatus", e.from() == null ? null : e.from().name());
        p.put("status", e.to().name());
        p.put("reason", e.reason());
        p.put("at", utc(at));
        p.put("attempt", e.attempt());
        p.put("recoveryCount", e.recoveryCount());
        p.put("restartCount", e.restartCount());
        p.put("costSoFar", e.costSoFar());
        p.put("taskIndex", e.taskIndex());
        p.put("failureReason", e.failureReason() == null ? null : e.failureReason().name());
        p.put("exitCode", e.exitCode());
        p.put("startedAt", e.to() == JobStatus.RUNNING ? utc(at) : null);
        p.put("endedAt", e.to().isTerminal() ? utc(at) : null);
        Placement placement = e.placement();
        p.put("placed", placement != null);
        p.put("cloud", placement == null ? null : placement.cloud());
        p.put("region", placement == null ? null : placement.region());
        p.put("zone", placement == null ? null : placement.zone());
        p.put("instanceType", placement == null ? null : placement.instanceType());
        p.put("spot", placement == null ? null : placement.spot());
        p.put("pricePerHour", placement == null ? null : placement.pricePerHour());
        ClusterHold hold = e.hold();
        p.put("holdUntil", hold == null ? null : utc(hold.until()));
        p.put("holdCluster", hold == null ? null : hold.clusterName());
        p.put("holdInstanceIds", hold == null ? null : String.join(",", hold.instanceIds()));
        return p;
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}

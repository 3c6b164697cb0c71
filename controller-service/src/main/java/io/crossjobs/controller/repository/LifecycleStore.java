package io.crossjobs.controller.repository;

import io.crossjobs.controller.model.LaunchesInFlight;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobStatus;
import io.crossjobs.service.messaging.Inbox;
import io.crossjobs.service.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The managed_job rows, as {@link ManagedJob} snapshots, on the SQL client: every event the controller consumes
 * comes through here, and through the ORM these statements had cost about two thirds of its CPU. A lifecycle
 * step's methods run on the caller's connection, inside the transaction {@link #inTransaction} opened, so one
 * event is one transaction.
 */
@ApplicationScoped
public class LifecycleStore {
    /** The inbox row and, only for a first delivery, the job's row locked; a redelivery locks nothing. */
    private static final String FIRST_DELIVERY = """
            with fresh as (%s)
            select exists (select 1 from fresh) as fresh, j.*
            from (select 1) as one
            left join lateral (select %s from managed_job
                               where id = #{jobId} and exists (select 1 from fresh) for update) j on true"""
            .formatted(Inbox.recordFirst("#{eventId}", "#{eventType}", "#{jobId}", "#{processedAt}"),
                    ManagedJobTable.NAMES);
    private static final String LOCK = "select " + ManagedJobTable.NAMES + " from managed_job where id = $1 for update";
    private static final String INSERT_PENDING = """
            with created as (%s returning id)
            insert into job_history (job_id, from_status, to_status, attempt, reason, at)
            select id, null, #{status}::varchar, #{attempt}::int, #{status_reason}::text, #{updated_at}::timestamptz
            from created""".formatted(ManagedJobTable.INSERT);
    // The where clause is the transition's guard: the row lock makes it hold in practice, and it keeps a stale
    // decision from ever overwriting a newer state. History and event are written only if the update was.
    private static final String TRANSITION = """
            with changed as (
                update managed_job set %s
                where id = #{id} and status = any(#{guard}::varchar[]) and attempt = #{guard_attempt}
                returning id
            ), recorded as (
                insert into job_history (job_id, from_status, to_status, attempt, reason, at)
                select id, #{from_status}::varchar, #{status}::varchar, #{attempt}::int, #{history_reason}::text,
                       #{updated_at}::timestamptz
                from changed
            )
            insert into outbox (%s)
            select #{eventId}::varchar, #{eventType}::varchar, id, #{topic}::varchar, #{payload}::text,
                   #{createdAt}::timestamptz
            from changed""".formatted(ManagedJobTable.TRANSITION_SET, Outbox.COLUMNS);
    private static final String LAUNCHES_IN_FLIGHT = """
            select cloud, region, count(*) as launching from managed_job
            where status = 'STARTING'
            group by cloud, region""";
    private static final String LOCK_LAUNCHABLE = """
            select %s from managed_job
            where status = 'PENDING' and (next_attempt_at is null or next_attempt_at <= #{now})
              and id <> all(#{except}::varchar[])
            order by priority desc, submitted_at, id
            limit #{limit}
            for update skip locked""".formatted(ManagedJobTable.NAMES);
    /** Arbitrary but fixed: the advisory lock key of the launch scheduler's lease. */
    private static final long SCAN_LEASE_KEY = 0x6c61756e63686573L;   // "launches"
    private static final String LOCK_OVERDUE = lockDue("status = 'STARTING'", "launch_started_at");
    private static final String LOCK_PAST_DEADLINE = lockDue("status = 'RUNNING'", "run_deadline");
    private static final String LOCK_HOLDS_OVER = lockDue("true", "hold_until");
    /** Guarded by the hold it ends, so a hold released twice (scan and request) is ended once. */
    private static final String RELEASE_HOLD = """
            update managed_job set hold_until = null, cost_usd = #{cost_usd}
            where id = #{id} and hold_until = #{held_until}""";

    private final Pool pool;

    public LifecycleStore(Pool pool) {
        this.pool = pool;
    }

    public <T> Uni<T> inTransaction(Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(work);
    }

    /** {@code firstDelivery} false: the event was processed before (nothing locked). {@code job} null: unknown. */
    public record Delivery(boolean firstDelivery, ManagedJob job) { }

    /** Records the event id in the inbox and, if it is new there, locks and reads its job's row. */
    public Uni<Delivery> recordDelivery(SqlConnection conn, String eventId, String eventType, String jobId,
                                        Instant at) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("eventId", eventId);
        parameters.put("eventType", eventType);
        parameters.put("jobId", jobId);
        parameters.put("processedAt", utc(at));
        return SqlTemplate.forQuery(conn, FIRST_DELIVERY).execute(parameters).map(rows -> {
            Row row = rows.iterator().next();
            boolean fresh = row.getBoolean("fresh");
            return new Delivery(fresh, fresh && row.getString("id") != null ? ManagedJobTable.read(row) : null);
        });
    }

    /** The job, its row locked until the transaction ends (so the consumers and the scheduler never interleave). */
    public Uni<ManagedJob> lock(SqlConnection conn, String jobId) {
        return conn.preparedQuery(LOCK).execute(Tuple.of(jobId)).map(LifecycleStore::firstJob);
    }

    /** A new job's row and the history row of its creation. */
    public Uni<Void> insertPending(SqlConnection conn, ManagedJob job) {
        return SqlTemplate.forUpdate(conn, INSERT_PENDING).execute(ManagedJobTable.values(job)).replaceWithVoid();
    }

    /**
     * Writes {@code t.after()}, its history row and {@code event} (to {@code topic}) if the row still matches the
     * guard; false when the guard failed, and then nothing is written.
     */
    public Uni<Boolean> apply(SqlConnection conn, Transition t, JobEvent event, String topic) {
        ManagedJob after = t.after();
        Map<String, Object> parameters = ManagedJobTable.values(after);
        parameters.put("id", t.jobId());
        parameters.put("guard", t.guard().stream().map(JobStatus::name).toArray(String[]::new));
        parameters.put("guard_attempt", t.guardAttempt());
        parameters.put("from_status", t.from() == null ? null : t.from().name());
        parameters.put("history_reason", t.reason());
        parameters.putAll(Outbox.row(event, topic, after.updatedAt()).parameters());
        return SqlTemplate.forUpdate(conn, TRANSITION).execute(parameters).map(rows -> rows.rowCount() == 1);
    }

    /** {@code event} into the outbox, for the relay to publish to {@code topic} after the commit. */
    public Uni<Void> enqueue(SqlConnection conn, JobEvent event, String topic, Instant at) {
        return Outbox.insert(conn, event, topic, at);
    }

    /**
     * True if this transaction now holds the launch scheduler's lease (released at commit or rollback): a
     * transaction-scoped advisory lock, so with two controller processes one scan at a time counts the launches in
     * flight and adds to them, and neither launches past a limit on a count the other is changing.
     */
    public Uni<Boolean> tryScanLease(SqlConnection conn) {
        return conn.preparedQuery("select pg_try_advisory_xact_lock($1) as leased").execute(Tuple.of(SCAN_LEASE_KEY))
                .map(rows -> rows.iterator().next().getBoolean("leased"));
    }

    /** Launches in flight (jobs STARTING), per region of each cloud: what holds a launch slot and a region's room. */
    public Uni<LaunchesInFlight> launchesInFlight(SqlConnection conn) {
        return conn.query(LAUNCHES_IN_FLIGHT).execute().map(rows -> {
            Map<LaunchesInFlight.Region, Integer> counts = new HashMap<>();
            for (Row r : rows) {
                counts.merge(new LaunchesInFlight.Region(r.getString("cloud"), r.getString("region")),
                        r.getInteger("launching"), Integer::sum);
            }
            return LaunchesInFlight.of(counts);
        });
    }

    /**
     * Up to {@code limit} PENDING jobs whose backoff is over and whose id is not in {@code except}, highest priority
     * first, then first come first served; their rows locked, skipping rows another controller (or handler) holds.
     * A job still waiting on its backoff is not selected, so it never holds up the jobs behind it.
     */
    public Uni<List<ManagedJob>> lockLaunchable(SqlConnection conn, Instant now, int limit, List<String> except) {
        return SqlTemplate.forQuery(conn, LOCK_LAUNCHABLE)
                .execute(Map.of("now", utc(now), "limit", limit, "except", except.toArray(String[]::new)))
                .map(rows -> {
                    List<ManagedJob> jobs = new ArrayList<>(rows.size());
                    for (Row r : rows) jobs.add(ManagedJobTable.read(r));
                    return jobs;
                });
    }

    /** Launches in flight that began before {@code startedBefore}: stuck, they would hold their slot forever. */
    public Uni<List<String>> lockOverdueLaunches(SqlConnection conn, Instant startedBefore, int limit) {
        return ids(conn, LOCK_OVERDUE, startedBefore, limit);
    }

    /** Failed jobs whose debug hold ended before {@code before}: their clusters are to be terminated. */
    public Uni<List<String>> lockHoldsOver(SqlConnection conn, Instant before, int limit) {
        return ids(conn, LOCK_HOLDS_OVER, before, limit);
    }

    /** Ends the debug hold {@code before} had, writing {@code after}'s cost; false when that hold was ended already. */
    public Uni<Boolean> releaseHold(SqlConnection conn, ManagedJob before, ManagedJob after) {
        return SqlTemplate.forUpdate(conn, RELEASE_HOLD).execute(Map.of("id", before.id(), "cost_usd", after.costUsd(),
                "held_until", utc(before.holdUntil()))).map(rows -> rows.rowCount() == 1);
    }

    /** Jobs RUNNING whose time limit ran out before {@code deadlineBefore}: their node did not stop them. */
    public Uni<List<String>> lockRunsPastDeadline(SqlConnection conn, Instant deadlineBefore, int limit) {
        return ids(conn, LOCK_PAST_DEADLINE, deadlineBefore, limit);
    }

    /**
     * The ids of jobs ({@code where}) whose {@code due} time is before {@code $1}, the earliest first, at most
     * {@code $2}, their rows locked and rows another transaction holds skipped: what the launch scheduler's scan
     * settles each round.
     */
    private static String lockDue(String where, String due) {
        return "select id from managed_job where " + where + " and " + due + " < $1 order by " + due
                + ", id limit $2 for update skip locked";
    }

    private static Uni<List<String>> ids(SqlConnection conn, String sql, Instant at, int limit) {
        return conn.preparedQuery(sql).execute(Tuple.of(utc(at), limit)).map(rows -> {
            List<String> ids = new ArrayList<>(rows.size());
            for (Row r : rows) ids.add(r.getString(0));
            return ids;
        });
    }

    private static ManagedJob firstJob(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? ManagedJobTable.read(it.next()) : null;
    }

    private static OffsetDateTime utc(Instant at) {
        return ManagedJobTable.utc(at);
    }
}

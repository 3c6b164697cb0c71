package io.crossjobs.controller.repository;

import io.crossjobs.controller.model.LaunchesInFlight;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.events.Accelerator;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.Placement;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.service.messaging.Inbox;
import io.crossjobs.service.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
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
    private static final String COLUMNS = """
            id, name, owner, task_spec, tasks, task_index, priority, status, attempt, cluster_name, cloud, region, zone,
            instance_type, spot, price_per_hour, blocklist, recovery_count, restart_count, failed_launches,
            failure_reason, exit_code, status_reason, submitted_at, started_at, ended_at, updated_at, next_attempt_at,
            launch_started_at, cost_usd, billed_since, accelerator, disk_size_gb""";
    /** The inbox row and, only for a first delivery, the job's row locked; a redelivery locks nothing. */
    private static final String FIRST_DELIVERY = """
            with fresh as (%s)
            select exists (select 1 from fresh) as fresh, j.*
            from (select 1) as one
            left join lateral (select %s from managed_job
                               where id = $3 and exists (select 1 from fresh) for update) j on true"""
            .formatted(Inbox.recordFirst("$1", "$2", "$3", "$4"), COLUMNS);
    private static final String LOCK = "select " + COLUMNS + " from managed_job where id = $1 for update";
    private static final String INSERT_PENDING = """
            with created as (
                insert into managed_job (id, name, owner, task_spec, tasks, task_index, priority, task_id, status,
                                         attempt, blocklist, status_reason, submitted_at, created_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
                returning id
            )
            insert into job_history (job_id, from_status, to_status, attempt, reason, at)
            select id, null, $9::varchar, $10::int, $12::text, $14::timestamptz from created""";
    // The where clause is the transition's guard: the row lock makes it hold in practice, and it keeps a stale
    // decision from ever overwriting a newer state. History and event are written only if the update was.
    private static final String TRANSITION = """
            with changed as (
                update managed_job set task_index = $2, status = $3, attempt = $4, cluster_name = $5, cloud = $6,
                    region = $7, zone = $8, instance_type = $9, spot = $10, price_per_hour = $11, blocklist = $12,
                    recovery_count = $13, restart_count = $14, failed_launches = $15, failure_reason = $16,
                    exit_code = $17, status_reason = $18, started_at = $19, ended_at = $20, updated_at = $21,
                    next_attempt_at = $22, launch_started_at = $23, cost_usd = $24, billed_since = $25,
                    accelerator = $34, disk_size_gb = $35
                where id = $1 and status = any($26::varchar[]) and attempt = $27
                returning id
            ), recorded as (
                insert into job_history (job_id, from_status, to_status, attempt, reason, at)
                select id, $28::varchar, $3::varchar, $4::int, $29::text, $21::timestamptz from changed
            )
            insert into outbox (%s)
            select $30::varchar, $31::varchar, id, $32::varchar, $33::text, $21::timestamptz from changed"""
            .formatted(Outbox.COLUMNS);
    private static final String LAUNCHES_IN_FLIGHT = """
            select cloud, region, count(*) as launching from managed_job
            where status = 'STARTING'
            group by cloud, region""";
    private static final String LOCK_LAUNCHABLE = """
            select %s from managed_job
            where status = 'PENDING' and (next_attempt_at is null or next_attempt_at <= $1)
              and id <> all($3::varchar[])
            order by priority desc, submitted_at, id
            limit $2
            for update skip locked""".formatted(COLUMNS);
    /** Arbitrary but fixed: the advisory lock key of the launch scheduler's lease. */
    private static final long SCAN_LEASE_KEY = 0x6c61756e63686573L;   // "launches"
    private static final String LOCK_OVERDUE = """
            select id from managed_job
            where status = 'STARTING' and launch_started_at < $1
            order by launch_started_at, id
            limit $2
            for update skip locked""";

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
        return conn.preparedQuery(FIRST_DELIVERY).execute(Tuple.of(eventId, eventType, jobId, utc(at))).map(rows -> {
            Row row = rows.iterator().next();
            boolean fresh = row.getBoolean("fresh");
            return new Delivery(fresh, fresh && row.getString("id") != null ? toModel(row) : null);
        });
    }

    /** The job, its row locked until the transaction ends (so the consumers and the scheduler never interleave). */
    public Uni<ManagedJob> lock(SqlConnection conn, String jobId) {
        return conn.preparedQuery(LOCK).execute(Tuple.of(jobId)).map(LifecycleStore::firstJob);
    }

    /** A new job's row and the history row of its creation. */
    public Uni<Void> insertPending(SqlConnection conn, ManagedJob job) {
        TaskSpec first = job.tasks().isEmpty() ? null : job.tasks().get(0);
        return conn.preparedQuery(INSERT_PENDING).execute(Tuple.from(Arrays.asList(job.id(), job.name(), job.owner(),
                JsonColumns.taskSpec(first), JsonColumns.tasks(job.tasks()), job.taskIndex(), job.priority(),
                job.taskId(), job.status().name(), job.attempt(), JsonColumns.blocklist(job.blocklist()),
                job.statusReason(), utc(job.submittedAt()), utc(job.updatedAt())))).replaceWithVoid();
    }

    /**
     * Writes {@code t.after()}, its history row and {@code event} (to {@code topic}) if the row still matches the
     * guard; false when the guard failed, and then nothing is written.
     */
    public Uni<Boolean> apply(SqlConnection conn, Transition t, JobEvent event, String topic) {
        ManagedJob a = t.after();
        Placement p = a.placement();
        List<Object> params = new ArrayList<>(Arrays.asList(t.jobId(), a.taskIndex(), a.status().name(), a.attempt(),
                a.clusterName(), p == null ? null : p.cloud(), p == null ? null : p.region(),
                p == null ? null : p.zone(), p == null ? null : p.instanceType(), p == null ? null : p.spot(),
                p == null ? null : p.pricePerHour(), JsonColumns.blocklist(a.blocklist()), a.recoveryCount(),
                a.restartCount(), a.failedLaunches(), a.failureReason() == null ? null : a.failureReason().name(),
                a.exitCode(), a.statusReason(), utc(a.startedAt()), utc(a.endedAt()), utc(a.updatedAt()),
                utc(a.nextAttemptAt()), utc(a.launchStartedAt()), a.costUsd(), utc(a.billedSince()),
                t.guard().stream().map(JobStatus::name).toArray(String[]::new), t.guardAttempt(),
                t.from() == null ? null : t.from().name(), t.reason()));
        Outbox.Row announced = Outbox.row(event, topic, a.updatedAt());
        params.addAll(Arrays.asList(announced.eventId(), announced.eventType(), announced.topic(),
                announced.payload()));
        params.add(p == null || p.accelerator() == null ? null : p.accelerator().toString());
        params.add(p == null ? null : p.diskSizeGb());
        return conn.preparedQuery(TRANSITION).execute(Tuple.from(params)).map(rows -> rows.rowCount() == 1);
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
        return conn.preparedQuery(LOCK_LAUNCHABLE)
                .execute(Tuple.of(utc(now), limit, except.toArray(String[]::new)))
                .map(rows -> {
                    List<ManagedJob> jobs = new ArrayList<>(rows.size());
                    for (Row r : rows) jobs.add(toModel(r));
                    return jobs;
                });
    }

    /** Launches in flight that began before {@code startedBefore}: stuck, they would hold their slot forever. */
    public Uni<List<String>> lockOverdueLaunches(SqlConnection conn, Instant startedBefore, int limit) {
        return ids(conn, LOCK_OVERDUE, startedBefore, limit);
    }

    private static Uni<List<String>> ids(SqlConnection conn, String sql, Instant at, int limit) {
        return conn.preparedQuery(sql).execute(Tuple.of(utc(at), limit)).map(rows -> {
            List<String> ids = new ArrayList<>(rows.size());
            for (Row r : rows) ids.add(r.getString(0));
            return ids;
        });
    }

    /** event_id, event_type, topic, payload */
    private static ManagedJob firstJob(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? toModel(it.next()) : null;
    }

    private static ManagedJob toModel(Row r) {
        String cloud = r.getString("cloud");
        String accelerator = r.getString("accelerator");
        Placement placement = cloud == null ? null : new Placement(cloud, r.getString("region"), r.getString("zone"),
                r.getString("instance_type"), Boolean.TRUE.equals(r.getBoolean("spot")),
                r.getDouble("price_per_hour") == null ? 0 : r.getDouble("price_per_hour"),
                accelerator == null ? null : Accelerator.parse(accelerator), r.getInteger("disk_size_gb"));
        List<TaskSpec> tasks = JsonColumns.tasks(r.getString("tasks"), r.getString("task_spec"));
        String failure = r.getString("failure_reason");
        return new ManagedJob(r.getString("id"), r.getString("name"), r.getString("owner"), tasks,
                r.getInteger("task_index"), r.getInteger("priority"), JobStatus.valueOf(r.getString("status")),
                r.getInteger("attempt"), r.getString("cluster_name"), placement,
                JsonColumns.blocklist(r.getString("blocklist")), r.getInteger("recovery_count"),
                r.getInteger("restart_count"), r.getInteger("failed_launches"),
                failure == null ? null : FailureReason.valueOf(failure), r.getInteger("exit_code"),
                r.getString("status_reason"), instant(r, "submitted_at"), instant(r, "started_at"),
                instant(r, "ended_at"), instant(r, "updated_at"), instant(r, "next_attempt_at"),
                instant(r, "launch_started_at"), r.getDouble("cost_usd"), instant(r, "billed_since"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime at = r.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}

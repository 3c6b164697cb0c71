package io.crossjobs.controller.repository;

import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.events.Accelerator;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.Placement;
import io.crossjobs.events.TaskSpec;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The columns of {@code managed_job}, each declared once: its name, the {@link ManagedJob} field it holds and how
 * that field is read back. {@link LifecycleStore}'s statements are built from this list and bind every value by its
 * column's name ({@code #{status}}), so a new column is one line here beside the field it stores.
 */
final class ManagedJobTable {
    /** Whether a transition writes the column, or only the insert that creates the job. */
    enum Written { ONCE, BY_TRANSITIONS }

    /** {@code read} null: the column is never read back (derived from other fields, or kept for SQL readers). */
    record Column(String name, Written written, Function<ManagedJob, Object> value,
                  BiConsumer<Row, ManagedJob.Builder> read) { }

    static final List<Column> COLUMNS = List.of(
            text("id", Written.ONCE, ManagedJob::id, (b, v) -> b.id = v),
            text("name", Written.ONCE, ManagedJob::name, (b, v) -> b.name = v),
            text("owner", Written.ONCE, ManagedJob::owner, (b, v) -> b.owner = v),
            // a job's first task, also for readers of the rows written before pipelines (tasks null)
            new Column("task_spec", Written.ONCE, j -> JsonColumns.taskSpec(j.tasks().isEmpty() ? null
                    : j.tasks().get(0)), null),
            new Column("tasks", Written.ONCE, j -> JsonColumns.tasks(j.tasks()),
                    (r, b) -> b.tasks = JsonColumns.tasks(r.getString("tasks"), r.getString("task_spec"))),
            integer("priority", Written.ONCE, ManagedJob::priority, (b, v) -> b.priority = v),
            new Column("task_id", Written.ONCE, ManagedJob::taskId, null),
            time("submitted_at", Written.ONCE, ManagedJob::submittedAt, (b, v) -> b.submittedAt = v),
            time("created_at", Written.ONCE, ManagedJob::updatedAt, null),
            integer("task_index", Written.BY_TRANSITIONS, ManagedJob::taskIndex, (b, v) -> b.taskIndex = v),
            text("status", Written.BY_TRANSITIONS, j -> j.status().name(), (b, v) -> b.status = JobStatus.valueOf(v)),
            integer("attempt", Written.BY_TRANSITIONS, ManagedJob::attempt, (b, v) -> b.attempt = v),
            text("cluster_name", Written.BY_TRANSITIONS, ManagedJob::clusterName, (b, v) -> b.clusterName = v),
            // the placement's columns; the first reads them all back
            new Column("cloud", Written.BY_TRANSITIONS, placed(Placement::cloud),
                    (r, b) -> b.placement = placement(r)),
            placed("region", Placement::region),
            placed("zone", Placement::zone),
            placed("instance_type", Placement::instanceType),
            placed("spot", Placement::spot),
            placed("price_per_hour", Placement::pricePerHour),
            placed("accelerator", p -> p.accelerator() == null ? null : p.accelerator().toString()),
            placed("disk_size_gb", Placement::diskSizeGb),
            new Column("blocklist", Written.BY_TRANSITIONS, j -> JsonColumns.blocklist(j.blocklist()),
                    (r, b) -> b.blocklist = JsonColumns.blocklist(r.getString("blocklist"))),
            integer("recovery_count", Written.BY_TRANSITIONS, ManagedJob::recoveryCount, (b, v) -> b.recoveryCount = v),
            integer("restart_count", Written.BY_TRANSITIONS, ManagedJob::restartCount, (b, v) -> b.restartCount = v),
            integer("failed_launches", Written.BY_TRANSITIONS, ManagedJob::failedLaunches,
                    (b, v) -> b.failedLaunches = v),
            text("failure_reason", Written.BY_TRANSITIONS,
                    j -> j.failureReason() == null ? null : j.failureReason().name(),
                    (b, v) -> b.failureReason = v == null ? null : FailureReason.valueOf(v)),
            integer("exit_code", Written.BY_TRANSITIONS, ManagedJob::exitCode, (b, v) -> b.exitCode = v),
            text("status_reason", Written.BY_TRANSITIONS, ManagedJob::statusReason, (b, v) -> b.statusReason = v),
            time("started_at", Written.BY_TRANSITIONS, ManagedJob::startedAt, (b, v) -> b.startedAt = v),
            time("ended_at", Written.BY_TRANSITIONS, ManagedJob::endedAt, (b, v) -> b.endedAt = v),
            time("updated_at", Written.BY_TRANSITIONS, ManagedJob::updatedAt, (b, v) -> b.updatedAt = v),
            time("next_attempt_at", Written.BY_TRANSITIONS, ManagedJob::nextAttemptAt, (b, v) -> b.nextAttemptAt = v),
            time("launch_started_at", Written.BY_TRANSITIONS, ManagedJob::launchStartedAt,
                    (b, v) -> b.launchStartedAt = v),
            new Column("cost_usd", Written.BY_TRANSITIONS, ManagedJob::costUsd,
                    (r, b) -> b.costUsd = r.getDouble("cost_usd")),
            time("billed_since", Written.BY_TRANSITIONS, ManagedJob::billedSince, (b, v) -> b.billedSince = v),
            new Column("task_ran_ms", Written.BY_TRANSITIONS, ManagedJob::taskRanMillis,
                    (r, b) -> b.taskRanMillis = r.getLong("task_ran_ms")),
            time("run_deadline", Written.BY_TRANSITIONS, ManagedJob::runDeadline, (b, v) -> b.runDeadline = v),
            new Column("instance_ids", Written.BY_TRANSITIONS, j -> JsonColumns.strings(j.instanceIds()),
                    (r, b) -> b.instanceIds = JsonColumns.strings(r.getString("instance_ids"))),
            time("hold_until", Written.BY_TRANSITIONS, ManagedJob::holdUntil, (b, v) -> b.holdUntil = v));

    /** Every column, for a select list. */
    static final String NAMES = COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));

    /** {@code insert into managed_job (...) values (#{...})}: every column of a new job. */
    static final String INSERT = "insert into managed_job (" + NAMES + ") values ("
            + COLUMNS.stream().map(c -> "#{" + c.name() + "}").collect(Collectors.joining(", ")) + ")";

    /** {@code column = #{column}} for each column a transition writes. */
    static final String TRANSITION_SET = COLUMNS.stream().filter(c -> c.written() == Written.BY_TRANSITIONS)
            .map(c -> c.name() + " = #{" + c.name() + "}").collect(Collectors.joining(", "));

    /** The template parameters of {@code job}: each column's value under the column's name. */
    static Map<String, Object> values(ManagedJob job) {
        Map<String, Object> values = new HashMap<>();
        for (Column c : COLUMNS) values.put(c.name(), c.value().apply(job));
        return values;
    }

    static ManagedJob read(Row row) {
        ManagedJob.Builder b = new ManagedJob.Builder();
        for (Column c : COLUMNS) {
            if (c.read() != null) c.read().accept(row, b);
        }
        return b.build();
    }

    static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private static Column text(String name, Written written, Function<ManagedJob, String> value,
                               BiConsumer<ManagedJob.Builder, String> set) {
        return new Column(name, written, value::apply, (r, b) -> set.accept(b, r.getString(name)));
    }

    private static Column integer(String name, Written written, Function<ManagedJob, Integer> value,
                                  BiConsumer<ManagedJob.Builder, Integer> set) {
        return new Column(name, written, value::apply, (r, b) -> set.accept(b, r.getInteger(name)));
    }

    private static Column time(String name, Written written, Function<ManagedJob, Instant> value,
                               BiConsumer<ManagedJob.Builder, Instant> set) {
        return new Column(name, written, j -> utc(value.apply(j)), set == null ? null : (r, b) -> {
            OffsetDateTime at = r.getOffsetDateTime(name);
            set.accept(b, at == null ? null : at.toInstant());
        });
    }

    /** A placement column, read back with the others by {@link #placement(Row)}. */
    private static Column placed(String name, Function<Placement, Object> field) {
        return new Column(name, Written.BY_TRANSITIONS, placed(field), null);
    }

    private static Function<ManagedJob, Object> placed(Function<Placement, Object> field) {
        return j -> j.placement() == null ? null : field.apply(j.placement());
    }

    private static Placement placement(Row r) {
        String cloud = r.getString("cloud");
        if (cloud == null) return null;
        String accelerator = r.getString("accelerator");
        Double price = r.getDouble("price_per_hour");
        return Placement.builder().cloud(cloud).region(r.getString("region")).zone(r.getString("zone"))
                .instanceType(r.getString("instance_type")).spot(Boolean.TRUE.equals(r.getBoolean("spot")))
                .pricePerHour(price == null ? 0 : price)
                .accelerator(accelerator == null ? null : Accelerator.parse(accelerator))
                .diskSizeGb(r.getInteger("disk_size_gb")).build();
    }

    private ManagedJobTable() { }
}

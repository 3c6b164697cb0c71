package io.crossjobs.jobapi.controller;

import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobStatus;
import io.crossjobs.service.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The keeper's tables (controller, controller_vms, controller_history) and its outbox rows, over the SQL client
 * with named parameters. Every write that follows an event is a guarded update, so a redelivered event changes
 * nothing twice.
 */
@ApplicationScoped
public class KeeperStore implements ControllerCosts {
    private static final String VM_COLUMNS = """
            cluster_name, generation, cloud, region, zone, instance_type, price_per_hour, instance_id, state, reason,
            launched_at, running_at, serving_at, last_heartbeat_at, process, assigned_partitions, stopping_at, ended_at""";
    private static final String LIVE_STATES = "('LAUNCHING', 'BOOTING', 'SERVING')";
    private static final String ALIVE_STATES = "('LAUNCHING', 'BOOTING', 'SERVING', 'STOPPING')";
    private static final String NOT_TERMINAL = Arrays.stream(JobStatus.values()).filter(s -> !s.isTerminal())
            .map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "(", ")"));

    private final Pool pool;

    public KeeperStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() { return pool; }

    // --- the controller row

    public Uni<Optional<ControllerRecord>> lockController(SqlClient c) {
        return query(c, "select * from controller where singleton = 1 for update", Map.of())
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(controller(rows.iterator().next())));
    }

    public Uni<Optional<ControllerRecord>> controller(SqlClient c) {
        return query(c, "select * from controller where singleton = 1", Map.of())
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(controller(rows.iterator().next())));
    }

    public Uni<Void> createController(SqlClient c, ControllerRecord r) {
        return update(c, """
                insert into controller (singleton, controller_id, cloud, region, cpus, memory, created_at, since)
                values (1, #{id}, #{cloud}, #{region}, #{cpus}, #{memory}, #{at}, #{at})""",
                params("id", r.controllerId(), "cloud", r.cloud(), "region", r.region(), "cpus", r.cpus(),
                        "memory", r.memory(), "at", utc(r.createdAt())));
    }

    /** Takes the next generation number (a VM launch), counting across the controller's whole life. */
    public Uni<Integer> takeGeneration(SqlClient c) {
        return query(c, "update controller set next_generation = next_generation + 1 where singleton = 1 "
                + "returning next_generation - 1 as generation", Map.of())
                .map(rows -> rows.iterator().next().getInteger("generation"));
    }

    public Uni<Void> startMigration(SqlClient c, String cloud, String region, Instant at) {
        return update(c, "update controller set target_cloud = #{cloud}, target_region = #{region}, target_since = #{at}"
                + " where singleton = 1", params("cloud", cloud, "region", region, "at", utc(at)));
    }

    public Uni<Void> completeMigration(SqlClient c, Instant at) {
        return update(c, """
                update controller set cloud = target_cloud, region = target_region, since = #{at},
                  target_cloud = null, target_region = null, target_since = null where singleton = 1""",
                params("at", utc(at)));
    }

    public Uni<Void> endMigration(SqlClient c) {
        return update(c, "update controller set target_cloud = null, target_region = null, target_since = null "
                + "where singleton = 1", Map.of());
    }

    public Uni<Void> idleStopped(SqlClient c, Instant at) {
        return update(c, "update controller set idle_stopped_at = #{at} where singleton = 1",
                params("at", at == null ? null : utc(at)));
    }

    // --- VMs

    /** Every VM the cloud may still have, and the 20 newest others; newest first. */
    public Uni<List<ControllerVm>> recentVms(SqlClient c) {
        return query(c, "select " + VM_COLUMNS + " from controller_vms where state in " + ALIVE_STATES
                + " union select * from (select " + VM_COLUMNS + " from controller_vms order by generation desc limit 20) r"
                + " order by generation desc", Map.of()).map(KeeperStore::vms);
    }

    public Uni<List<ControllerVm>> allVms(SqlClient c) {
        return query(c, "select " + VM_COLUMNS + " from controller_vms order by generation", Map.of())
                .map(KeeperStore::vms);
    }

    public Uni<Optional<ControllerVm>> vm(SqlClient c, String clusterName) {
        return query(c, "select " + VM_COLUMNS + " from controller_vms where cluster_name = #{cluster}",
                params("cluster", clusterName)).map(rows -> vms(rows).stream().findFirst());
    }

    public Uni<Void> insertVm(SqlClient c, ControllerVm vm, String tokenHash, Instant tokenExpiresAt) {
        return update(c, """
                insert into controller_vms (cluster_name, generation, cloud, region, zone, instance_type, price_per_hour,
                  state, reason, launched_at, bootstrap_token_hash, bootstrap_expires_at)
                values (#{cluster}, #{generation}, #{cloud}, #{region}, #{zone}, #{type}, #{price}, 'LAUNCHING', #{reason},
                  #{at}, #{token}, #{expires})""",
                params("cluster", vm.clusterName(), "generation", vm.generation(), "cloud", vm.cloud(),
                        "region", vm.region(), "zone", vm.zone(), "type", vm.instanceType(),
                        "price", vm.pricePerHour(), "reason", vm.reason(), "at", utc(vm.launchedAt()),
                        "token", tokenHash, "expires", utc(tokenExpiresAt)));
    }

    /** The cloud lists the VM (with its id and zone); RUNNING moves a launching VM on to BOOTING. */
    public Uni<Boolean> reported(SqlClient c, String cluster, String instanceId, String zone, boolean running,
                                 Instant at) {
        return changed(c, """
                update controller_vms set instance_id = coalesce(#{instance}, instance_id), zone = coalesce(#{zone}, zone),
                  state = case when #{running} and state = 'LAUNCHING' then 'BOOTING' else state end,
                  running_at = case when #{running} then coalesce(running_at, #{at}) else running_at end
                where cluster_name = #{cluster} and state in """ + LIVE_STATES,
                params("cluster", cluster, "instance", instanceId, "zone", zone, "running", running, "at", utc(at)));
    }

    /** The controller process says it runs; the first ready heartbeat makes the VM SERVING. Returns the state now. */
    public Uni<Optional<ControllerVmState>> heartbeat(SqlClient c, String cluster, boolean ready, String process,
                                                     int partitions, Instant at) {
        return query(c, """
                update controller_vms set last_heartbeat_at = #{at}, process = #{process}, assigned_partitions = #{partitions},
                  state = case when #{ready} and state in ('LAUNCHING', 'BOOTING') then 'SERVING' else state end,
                  serving_at = case when #{ready} then coalesce(serving_at, #{at}) else serving_at end,
                  running_at = coalesce(running_at, #{at})
                where cluster_name = #{cluster} and state in """ + LIVE_STATES + " returning state",
                params("cluster", cluster, "ready", ready, "process", process, "partitions", partitions, "at", utc(at)))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(ControllerVmState.valueOf(rows.iterator().next().getString("state"))));
    }

    /** A terminate was sent; returns whether this changed the VM (it was live). */
    public Uni<Boolean> stopping(SqlClient c, String cluster, String reason, Instant at) {
        return changed(c, "update controller_vms set state = 'STOPPING', stopping_at = #{at}, reason = #{reason} "
                + "where cluster_name = #{cluster} and state in " + LIVE_STATES,
                params("cluster", cluster, "reason", reason, "at", utc(at)));
    }

    /** The cloud reports the VM gone (terminated or preempted); returns whether it was alive before. */
    public Uni<Boolean> gone(SqlClient c, String cluster, String reason, Instant at) {
        return changed(c, """
                update controller_vms set state = 'GONE', ended_at = #{at},
                  reason = case when state = 'STOPPING' then reason else #{reason} end
                where cluster_name = #{cluster} and state in """ + ALIVE_STATES,
                params("cluster", cluster, "reason", reason, "at", utc(at)));
    }

    public Uni<Boolean> launchFailed(SqlClient c, String cluster, String reason, Instant at) {
        return changed(c, "update controller_vms set state = 'FAILED', ended_at = #{at}, reason = #{reason} "
                + "where cluster_name = #{cluster} and state in " + ALIVE_STATES,
                params("cluster", cluster, "reason", reason, "at", utc(at)));
    }

    /**
     * Spends a VM's one-time bootstrap token: the VM it belongs to, if the token is known, unspent, unexpired and its
     * VM not yet retired.
     */
    public Uni<Optional<ControllerVm>> spendToken(SqlClient c, String tokenHash, Instant now) {
        return query(c, "update controller_vms set bootstrap_used_at = #{now} where bootstrap_token_hash = #{hash} "
                + "and bootstrap_used_at is null and bootstrap_expires_at > #{now} and state in " + LIVE_STATES
                + " returning " + VM_COLUMNS, params("hash", tokenHash, "now", utc(now)))
                .map(rows -> vms(rows).stream().findFirst());
    }

    // --- history, jobs, outbox

    public Uni<Void> history(SqlClient c, HistoryEntry e) {
        return update(c, """
                insert into controller_history (at, kind, message, cluster_name, cloud, region, from_cloud, from_region)
                values (#{at}, #{kind}, #{message}, #{cluster}, #{cloud}, #{region}, #{fromCloud}, #{fromRegion})""",
                params("at", utc(e.at()), "kind", e.kind(), "message", e.message(), "cluster", e.clusterName(),
                        "cloud", e.cloud(), "region", e.region(), "fromCloud", e.fromCloud(),
                        "fromRegion", e.fromRegion()));
    }

    /** The newest {@code limit} entries of the given kinds (all kinds when empty), newest first. */
    public Uni<List<HistoryEntry>> history(SqlClient c, List<String> kinds, int limit) {
        String where = kinds.isEmpty() ? "" : " where kind = any(#{kinds})";
        return query(c, "select * from controller_history" + where + " order by id desc limit #{limit}",
                params("kinds", kinds.toArray(String[]::new), "limit", limit)).map(rows -> {
            List<HistoryEntry> all = new ArrayList<>();
            for (Row r : rows) {
                all.add(new HistoryEntry(instant(r, "at"), r.getString("kind"), r.getString("message"),
                        r.getString("cluster_name"), r.getString("cloud"), r.getString("region"),
                        r.getString("from_cloud"), r.getString("from_region")));
            }
            return all;
        });
    }

    /** Jobs not yet finished, and (only when asked, as it reads every job) when a job last changed. */
    public Uni<JobActivity> jobActivity(SqlClient c, boolean withLastChange) {
        String sql = "select count(*) as live" + (withLastChange
                ? ", (select max(status_changed_at) from jobs) as last_change" : ", null::timestamptz as last_change")
                + " from jobs where status in " + NOT_TERMINAL;
        return query(c, sql, Map.of()).map(rows -> {
            Row r = rows.iterator().next();
            return new JobActivity(r.getLong("live"), instant(r, "last_change"));
        });
    }

    /** An outbox row for the relay: the event goes to {@code topic} in this transaction's order. */
    public Uni<Void> outbox(SqlClient c, JobEvent event, String topic, Instant at) {
        return Outbox.insert(c, event, topic, at);
    }

    @Override
    public Uni<ControllerBilling> billing() {
        return pool.withConnection(c -> controller(c).chain(r -> allVms(c).map(vms -> new ControllerBilling(
                r.map(ControllerRecord::cpus).orElse(null), r.map(ControllerRecord::memory).orElse(null),
                r.map(ControllerRecord::cloud).orElse(null), r.map(ControllerRecord::region).orElse(null),
                vms.stream().filter(vm -> vm.state() != ControllerVmState.FAILED).map(ControllerVm::period).toList()))));
    }

    public record JobActivity(long live, Instant lastChange) { }

    // --- plumbing

    private static Uni<RowSet<Row>> query(SqlClient c, String sql, Map<String, Object> params) {
        return SqlTemplate.forQuery(c, sql).execute(params);
    }

    private static Uni<Void> update(SqlClient c, String sql, Map<String, Object> params) {
        return SqlTemplate.forUpdate(c, sql).execute(params).replaceWithVoid();
    }

    private static Uni<Boolean> changed(SqlClient c, String sql, Map<String, Object> params) {
        return SqlTemplate.forUpdate(c, sql).execute(params).map(r -> r.rowCount() > 0);
    }

    /** Named parameters; values may be null. */
    private static Map<String, Object> params(Object... namesAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return m;
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static ControllerRecord controller(Row r) {
        return new ControllerRecord(r.getString("controller_id"), r.getString("cloud"), r.getString("region"),
                r.getString("cpus"), r.getString("memory"), instant(r, "created_at"), instant(r, "since"),
                r.getString("target_cloud"), r.getString("target_region"), instant(r, "target_since"),
                instant(r, "idle_stopped_at"), r.getInteger("next_generation"));
    }

    private static List<ControllerVm> vms(RowSet<Row> rows) {
        List<ControllerVm> all = new ArrayList<>(rows.size());
        for (Row r : rows) {
            all.add(new ControllerVm(r.getString("cluster_name"), r.getInteger("generation"), r.getString("cloud"),
                    r.getString("region"), r.getString("zone"), r.getString("instance_type"),
                    r.getDouble("price_per_hour"), r.getString("instance_id"),
                    ControllerVmState.valueOf(r.getString("state")), r.getString("reason"), instant(r, "launched_at"),
                    instant(r, "running_at"), instant(r, "serving_at"), instant(r, "last_heartbeat_at"),
                    r.getString("process"), r.getInteger("assigned_partitions"), instant(r, "stopping_at"),
                    instant(r, "ended_at")));
        }
        return all;
    }
}

package io.crossjobs.jobapi.quota;

import io.crossjobs.events.JobStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Users' quotas (table {@code user_quotas}) and their live jobs' usage, summed from {@code jobs} (the figures each job
 * was stored with, {@link QuotaDemand}). A submission reads its owners' usage in its own transaction, after taking
 * each owner's advisory lock ({@link #lock}): two submissions of one owner, in this job-api or another, are checked
 * one after the other, so they cannot both take the last of a quota.
 */
@ApplicationScoped
public class QuotaStore {
    /** The first key of the owners' transaction-scoped advisory locks ("QUOT"); the second is the owner's hash. */
    private static final int LOCK_SPACE = 0x51554F54;
    /** In a subquery that sorts (offset 0 keeps it one), so every transaction takes its locks in one order. */
    private static final String LOCK = """
            select pg_advisory_xact_lock(#{space}::int, k) from (
                select distinct hashtext(o) as k from unnest(#{owners}::varchar[]) as o order by k offset 0) s""";
    /** The same list as the partial index {@code jobs_live_owner_idx}, so a sum reads only live jobs. */
    private static final String LIVE = JobStatus.nonTerminal().stream().map(s -> "'" + s.name() + "'").sorted()
            .collect(Collectors.joining(", "));
    private static final String USAGE = """
            with owners as (%s)
            select o.owner, q.owner is not null as custom, q.live_jobs, q.nodes_per_job, q.live_vcpus,
                   q.live_accelerators, q.live_usd_per_hour, u.jobs, u.vcpus, u.accelerators, u.usd
            from owners o
            left join user_quotas q on q.owner = o.owner
            cross join lateral (
                select count(*) as jobs, coalesce(sum(quota_vcpus), 0) as vcpus,
                       coalesce(sum(quota_accelerators), 0) as accelerators,
                       coalesce(sum(coalesce(price_per_hour * quota_nodes, quota_usd_per_hour)), 0) as usd
                from jobs j where j.owner = o.owner and j.status in (%s)) u
            order by o.owner""";
    private static final String USAGE_OF = USAGE.formatted(
            "select distinct unnest(#{owners}::varchar[]) as owner", LIVE);
    private static final String USAGE_OF_ALL = USAGE.formatted(
            "select owner from user_quotas union select distinct owner from jobs where status in (" + LIVE + ")", LIVE);
    private static final String USED_KEYS = """
            select owner, idempotency_key from jobs
            where (owner, idempotency_key) in (select * from unnest(#{owner}::varchar[], #{key}::varchar[]))""";
    private static final String UPSERT = """
            insert into user_quotas (owner, live_jobs, nodes_per_job, live_vcpus, live_accelerators, live_usd_per_hour,
                                     updated_at, updated_by)
            values (#{owner}, #{liveJobs}, #{nodesPerJob}, #{liveVcpus}, #{liveAccelerators}, #{liveUsdPerHour},
                    #{updatedAt}, #{updatedBy})
            on conflict (owner) do update set live_jobs = excluded.live_jobs, nodes_per_job = excluded.nodes_per_job,
                live_vcpus = excluded.live_vcpus, live_accelerators = excluded.live_accelerators,
                live_usd_per_hour = excluded.live_usd_per_hour, updated_at = excluded.updated_at,
                updated_by = excluded.updated_by""";
    private static final String DELETE = "delete from user_quotas where owner = #{owner}";

    private final Pool pool;
    private final QuotaConfig config;

    public QuotaStore(Pool pool, QuotaConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Takes each owner's advisory lock until the end of {@code c}'s transaction. */
    public Uni<Void> lock(SqlClient c, Set<String> owners) {
        return SqlTemplate.forQuery(c, LOCK).execute(Map.of("space", LOCK_SPACE, "owners", owners.toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** Each owner's quotas and usage, read on {@code c}. */
    public Uni<Map<String, OwnerQuota>> read(SqlClient c, Set<String> owners) {
        return SqlTemplate.forQuery(c, USAGE_OF).execute(Map.of("owners", owners.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, OwnerQuota> byOwner = new HashMap<>();
                    for (Row r : rows) byOwner.put(r.getString("owner"), quota(r));
                    return byOwner;
                });
    }

    /** Of the (owner, Idempotency-Key) pairs given, those a stored job holds: their submissions create nothing. */
    public Uni<Set<List<String>>> usedKeys(SqlClient c, List<List<String>> ownerAndKey) {
        if (ownerAndKey.isEmpty()) return Uni.createFrom().item(Set.of());
        String[] owner = ownerAndKey.stream().map(p -> p.get(0)).toArray(String[]::new);
        String[] key = ownerAndKey.stream().map(p -> p.get(1)).toArray(String[]::new);
        return SqlTemplate.forQuery(c, USED_KEYS).execute(Map.of("owner", owner, "key", key)).map(rows -> {
            Set<List<String>> used = new HashSet<>();
            for (Row r : rows) used.add(List.of(r.getString("owner"), r.getString("idempotency_key")));
            return used;
        });
    }

    /** One owner's quotas and usage. */
    public Uni<OwnerQuota> of(String owner) {
        return pool.withConnection(c -> read(c, Set.of(owner))).map(m -> m.get(owner));
    }

    /** Every owner with live jobs or quotas of their own, by name. */
    public Uni<List<OwnerQuota>> all() {
        return pool.withConnection(c -> SqlTemplate.forQuery(c, USAGE_OF_ALL).execute(Map.of())).map(rows -> {
            List<OwnerQuota> all = new ArrayList<>();
            for (Row r : rows) all.add(quota(r));
            return all;
        });
    }

    /** Sets the owner's quotas: a null figure is the default's. */
    public Uni<OwnerQuota> set(String owner, QuotaRequest quotas, String by) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("owner", owner);
        p.put("liveJobs", quotas.liveJobs());
        p.put("nodesPerJob", quotas.nodesPerJob());
        p.put("liveVcpus", quotas.liveVcpus());
        p.put("liveAccelerators", quotas.liveAccelerators());
        p.put("liveUsdPerHour", quotas.liveUsdPerHour());
        p.put("updatedAt", Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        p.put("updatedBy", by);
        return pool.withConnection(c -> SqlTemplate.forUpdate(c, UPSERT).execute(p)).chain(() -> of(owner));
    }

    /** The owner's quotas are the defaults again. */
    public Uni<OwnerQuota> reset(String owner) {
        return pool.withConnection(c -> SqlTemplate.forUpdate(c, DELETE).execute(Map.of("owner", owner)))
                .chain(() -> of(owner));
    }

    private OwnerQuota quota(Row r) {
        QuotaLimits d = config.defaultLimits();
        QuotaLimits limits = new QuotaLimits(
                orDefault(r.getLong("live_jobs"), d.liveJobs()),
                orDefault(r.getLong("nodes_per_job"), d.nodesPerJob()),
                orDefault(r.getDouble("live_vcpus"), d.liveVcpus()),
                orDefault(r.getLong("live_accelerators"), d.liveAccelerators()),
                orDefault(r.getDouble("live_usd_per_hour"), d.liveUsdPerHour()));
        QuotaUsage usage = new QuotaUsage(r.getLong("jobs"), r.getDouble("vcpus"), r.getLong("accelerators"),
                r.getDouble("usd"));
        return new OwnerQuota(r.getString("owner"), limits, usage, r.getBoolean("custom"));
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }
}

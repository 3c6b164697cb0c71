package io.crossjobs.jobapi.service;

import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.config.JobApiConfig;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.quota.OwnerQuota;
import io.crossjobs.jobapi.quota.QuotaDemand;
import io.crossjobs.jobapi.quota.QuotaDemands;
import io.crossjobs.jobapi.quota.QuotaExceededException;
import io.crossjobs.jobapi.quota.QuotaStore;
import io.crossjobs.jobapi.quota.QuotaUsage;
import io.crossjobs.jobapi.quota.Quotas;
import io.crossjobs.jobapi.repository.JobRepository;
import io.crossjobs.service.messaging.Outbox;
import io.crossjobs.service.messaging.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stores submissions by group commit. One batch is written at a time; submissions that arrive meanwhile wait for
 * the next, which takes them all (up to {@code jobapi.submit-batch-size}) in one statement: it inserts the jobs rows
 * and their JobSubmitted outbox rows, with ids taken ahead from the sequence. A lone submission waits for nobody;
 * under load the database sees one statement per batch instead of four per job, and a batch waits for one round
 * trip, not five (begin, ids, two inserts, commit).
 *
 * <p>A submission whose Idempotency-Key its owner used before creates nothing and is answered with the earlier job.
 * If a batch fails, its submissions are stored again one by one, so a bad one fails alone.
 *
 * <p>Quotas: a batch holding a submission of a user's token (admins' are not limited) is one transaction that takes
 * its owners' advisory locks, reads their quotas and live usage ({@link QuotaStore}), keeps the submissions that fit
 * ({@link Quotas}, in arrival order, each counting those kept before it) and inserts them. A refused submission is
 * answered with {@link QuotaExceededException} once the transaction committed, having stored nothing.
 */
@ApplicationScoped
public class SubmissionBatcher {
    private static final Logger LOG = Logger.getLogger(SubmissionBatcher.class);

    private static final String NEXT_IDS = "select nextval('job_id_seq') as id from generate_series(1, #{count}::int)";
    /**
     * Ids are taken from the sequence this many at a time, as a sequence's own cache would: a batch then costs one
     * statement. Ids taken and not used (a restart) leave a gap, as a failed insert always did.
     */
    private static final int ID_BLOCK = 50;
    /**
     * The jobs, and the JobSubmitted outbox rows of those that were new (not a used Idempotency-Key): one statement.
     * Each parameter is an array holding one column, an element per job ({@link #rows}). A job submitted alone and
     * an array's rank-0 job (its leader, which holds the submission's Idempotency-Key) are inserted first; the other
     * jobs of an array only when their leader was, so a replayed submission of an array creates none of them.
     */
    private static final String QUOTA_COLUMNS = "quota_nodes, quota_vcpus, quota_accelerators, quota_usd_per_hour";
    private static final String INSERT_JOBS_AND_EVENTS = """
            with input as (
                select * from unnest(#{id}::bigint[], #{name}::varchar[], #{owner}::varchar[], #{status}::varchar[],
                                     #{taskJson}::text[], #{tasksJson}::text[], #{taskCount}::int[],
                                     #{idempotencyKey}::varchar[], #{submittedAt}::timestamptz[],
                                     #{arrayId}::bigint[], #{arrayRank}::int[], #{arraySize}::int[],
                                     #{quotaNodes}::int[], #{quotaVcpus}::float8[], #{quotaAccelerators}::int[],
                                     #{quotaUsdPerHour}::float8[])
                    as u(id, name, owner, status, task_json, tasks_json, task_count, idempotency_key, submitted_at,
                         array_id, array_rank, array_size, quota_nodes, quota_vcpus, quota_accelerators,
                         quota_usd_per_hour)),
            leaders as (
                insert into jobs (%1$s)
                select %2$s from input where array_id is null or array_id = id
                on conflict (owner, idempotency_key) where idempotency_key is not null do nothing
                returning id),
            members as (
                insert into jobs (%1$s)
                select %2$s from input where array_id <> id and array_id in (select id from leaders)
                returning id),
            inserted as (select id from leaders union all select id from members),
            events as (
                insert into outbox (%3$s)
                select e, t, j::varchar, null, p, c
                from unnest(#{eventId}::varchar[], #{eventType}::varchar[], #{id}::bigint[], #{payload}::text[],
                            #{submittedAt}::timestamptz[])
                    with ordinality as u(e, t, j, p, c, n)
                where j in (select id from inserted)
                order by n)
            select id from inserted""".formatted(
            "id, name, owner, status, task_json, tasks_json, task_count, idempotency_key, submitted_at, "
                    + "status_changed_at, array_id, array_rank, array_size, " + QUOTA_COLUMNS,
            "id, name, owner, status, task_json, tasks_json, task_count, idempotency_key, submitted_at, "
                    + "submitted_at, array_id, array_rank, array_size, " + QUOTA_COLUMNS,
            Outbox.COLUMNS);

    private final Pool pool;
    private final JobRepository jobs;
    private final JobViews views;
    private final TaskSecrets secrets;
    private final JobApiMetrics metrics;
    private final OutboxRelay relay;
    private final JobApiConfig config;
    private final Vertx vertx;
    private final QuotaStore quotas;
    private final QuotaDemands demands;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Ids taken from the sequence, not yet given to a job; only the batch being written uses them. */
    private final java.util.ArrayDeque<Long> freeIds = new java.util.ArrayDeque<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    public SubmissionBatcher(Pool pool, JobRepository jobs, JobViews views, TaskSecrets secrets, JobApiMetrics metrics,
                             OutboxRelay relay, JobApiConfig config, Vertx vertx, QuotaStore quotas,
                             QuotaDemands demands) {
        this.pool = pool;
        this.jobs = jobs;
        this.views = views;
        this.secrets = secrets;
        this.metrics = metrics;
        this.relay = relay;
        this.config = config;
        this.vertx = vertx;
        this.quotas = quotas;
        this.demands = demands;
    }

    /**
     * The jobs a submission made, by rank (one unless it was an array); {@code created} false: an earlier submission
     * with the same Idempotency-Key made them.
     */
    public record Submission(List<JobView> jobs, boolean created) {
        public JobView job() { return jobs.get(0); }
    }

    /** A job submitted alone; see {@link #submit(ParsedJob, Caller, String, int)}. */
    public Uni<Submission> submit(ParsedJob request, Caller submitter, String idempotencyKey) {
        return submit(request, submitter, idempotencyKey, 1);
    }

    /**
     * Stores the job, or an array of {@code count} jobs of the task (more than one: each with its rank and the
     * array's size in its envs), with their JobSubmitted events. With an {@code idempotencyKey} that this owner
     * already used, nothing new is stored: the answer is what the first submission created. The submitter's quotas
     * (unless it is an admin) are checked against its live jobs in the transaction that stores the jobs: over one,
     * the answer is a {@link QuotaExceededException}.
     */
    public Uni<Submission> submit(ParsedJob request, Caller submitter, String idempotencyKey, int count) {
        List<TaskSpec> sealed = secrets.seal(request.tasks());
        QuotaDemand demand = demands.of(request.tasks());
        return Uni.createFrom().emitter(emitter -> {
            queue.add(new Pending(request.name(), sealed, submitter, idempotencyKey, count, demand, emitter,
                    Vertx.currentContext()));
            writeSoon();
        });
    }

    private void writeSoon() {
        if (!writing.compareAndSet(false, true)) return; // the running batch's end looks at the queue again
        // a fresh context per round: Hibernate Reactive binds its session to the context
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> writeNextBatch());
    }

    private void writeNextBatch() {
        // bounded by jobs, not submissions: a job array is many rows (one submission always goes, however large);
        // this is the only thread that takes from the queue, so what it peeks is what it polls
        List<Pending> batch = new ArrayList<>();
        int jobs = 0;
        for (Pending p; (p = queue.peek()) != null && (batch.isEmpty() || jobs + p.count <= config.submitBatchSize()); ) {
            batch.add(queue.poll());
            jobs += p.count;
        }
        if (batch.isEmpty()) {
            writing.set(false);
            if (!queue.isEmpty()) writeSoon(); // added after the poll, before the flag was cleared
            return;
        }
        store(batch)
                .onFailure(failure -> batch.size() > 1).recoverWithUni(failure -> {
                    LOG.warnf("a batch of %d submissions failed (%s); storing them one by one", batch.size(),
                            failure.toString());
                    return Multi.createFrom().iterable(batch)
                            .onItem().transformToUniAndConcatenate(p -> store(List.of(p))
                                    .onFailure().invoke(p::fail).onFailure().recoverWithNull())
                            .collect().last();
                })
                .subscribe().with(ignored -> writeNextBatch(), failure -> {
                    batch.forEach(p -> p.fail(failure));
                    writeNextBatch();
                });
    }

    /**
     * One transaction for the whole batch; answers every submission once it committed. A batch of admins'
     * submissions only is one statement; one with a user's submission first locks and reads its owners' quotas.
     */
    private Uni<Void> store(List<Pending> batch) {
        if (batch.stream().allMatch(p -> p.submitter.admin())) {
            return pool.withConnection(c -> insert(c, batch)).chain(stored -> answerAll(stored, List.of()));
        }
        return pool.withTransaction(c -> checkQuotas(c, batch).chain(checked -> checked.kept().isEmpty()
                        ? Uni.createFrom().item(new Stored(List.of(), checked.refused()))
                        : insert(c, checked.kept()).map(stored -> new Stored(stored, checked.refused()))))
                .chain(done -> answerAll(done.jobs(), done.refused()));
    }

    /** What a checked batch stored, and the submissions its quotas refused. */
    private record Stored(List<NewJob> jobs, List<Refused> refused) { }

    private record Refused(Pending pending, QuotaExceededException reason) { }

    /**
     * Takes the locks of the batch's limited owners, reads their quotas and usage, and keeps, in arrival order, each
     * submission that fits on top of the usage and of those kept before it.
     */
    private Uni<KeptAndRefused> checkQuotas(SqlClient c, List<Pending> batch) {
        Set<String> owners = new TreeSet<>();
        List<List<String>> keys = new ArrayList<>();
        for (Pending p : batch) {
            if (p.submitter.admin()) continue;
            owners.add(p.owner());
            if (p.idempotencyKey != null) keys.add(List.of(p.owner(), p.idempotencyKey));
        }
        return quotas.lock(c, owners).chain(() -> quotas.read(c, owners)).chain(read -> quotas.usedKeys(c, keys)
                .map(used -> {
                    Map<String, QuotaUsage> usage = new HashMap<>();
                    read.forEach((owner, q) -> usage.put(owner, q.usage()));
                    List<Pending> kept = new ArrayList<>();
                    List<Refused> refused = new ArrayList<>();
                    for (Pending p : batch) {
                        boolean replay = p.idempotencyKey != null && used.contains(List.of(p.owner(), p.idempotencyKey));
                        if (p.submitter.admin() || replay) {
                            kept.add(p);
                            continue;
                        }
                        OwnerQuota quota = read.get(p.owner());
                        QuotaUsage now = usage.get(p.owner());
                        var refusal = Quotas.check(quota.limits(), now, p.demand, p.count);
                        if (refusal.isPresent()) {
                            refused.add(new Refused(p, new QuotaExceededException(refusal.get(), p.owner())));
                        } else {
                            kept.add(p);
                            usage.put(p.owner(), now.plus(p.demand, p.count));
                        }
                    }
                    return new KeptAndRefused(kept, refused);
                }));
    }

    private record KeptAndRefused(List<Pending> kept, List<Refused> refused) { }

    /** The batch's jobs and their events in one statement on {@code c}; which of them were new. */
    private Uni<List<NewJob>> insert(SqlClient c, List<Pending> batch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return ids(batch.stream().mapToInt(Pending::count).sum()).chain(ids -> {
            List<NewJob> created = new ArrayList<>(ids.size());
            int next = 0;
            for (Pending p : batch) {
                long leader = ids.get(next);
                for (int rank = 0; rank < p.count; rank++) created.add(newJob(ids.get(next++), leader, rank, p, now));
            }
            return SqlTemplate.forQuery(c, INSERT_JOBS_AND_EVENTS).execute(rows(created)).map(rows -> {
                Set<Long> inserted = new HashSet<>();
                for (Row row : rows) inserted.add(row.getLong("id"));
                return created.stream().map(j -> j.inserted(inserted.contains(j.job.id))).toList();
            });
        });
    }

    /** After the commit: each stored submission answered with its jobs, each refused one with its quota. */
    private Uni<Void> answerAll(List<NewJob> stored, List<Refused> refused) {
        refused.forEach(r -> {
            LOG.infof("submission refused owner=%s: %s", r.pending.owner(), r.reason.getMessage());
            r.pending.fail(r.reason);
        });
        if (stored.isEmpty()) return Uni.createFrom().voidItem();
        relay.trigger();
        // a submission's jobs are next to each other, in rank order
        List<List<NewJob>> bySubmission = new ArrayList<>();
        for (NewJob j : stored) {
            List<NewJob> last = bySubmission.isEmpty() ? null : bySubmission.get(bySubmission.size() - 1);
            if (last == null || last.get(0).pending != j.pending) bySubmission.add(last = new ArrayList<>());
            last.add(j);
        }
        return Multi.createFrom().iterable(bySubmission)
                .onItem().transformToUniAndConcatenate(this::answer)
                .collect().last().replaceWithVoid();
    }

    /** {@code n} job ids, from the free ones, topped up from the sequence (at least {@link #ID_BLOCK} at a time). */
    private Uni<List<Long>> ids(int n) {
        if (freeIds.size() >= n) return Uni.createFrom().item(takeIds(n));
        int count = Math.max(ID_BLOCK, n - freeIds.size());
        return pool.withConnection(c -> SqlTemplate.forQuery(c, NEXT_IDS).execute(Map.of("count", count))).map(rows -> {
            for (Row row : rows) freeIds.add(row.getLong("id"));
            return takeIds(n);
        });
    }

    private List<Long> takeIds(int n) {
        List<Long> taken = new ArrayList<>(n);
        for (int i = 0; i < n; i++) taken.add(freeIds.poll());
        return taken;
    }

    /** Answers one submission with its jobs, by rank. */
    private Uni<Void> answer(List<NewJob> made) {
        NewJob leader = made.get(0);
        Pending p = leader.pending;
        if (leader.isNew) {
            TaskSpec first = leader.tasks.get(0);
            LOG.infof("job=%d submitted name=%s owner=%s tasks=%d cloud=%s num_nodes=%d%s", leader.job.id,
                    leader.job.name, p.owner(), leader.tasks.size(), first.resources().cloud(), first.numNodes(),
                    made.size() > 1 ? " array of " + made.size() + ": jobs " + leader.job.id + "-"
                            + made.get(made.size() - 1).job.id : "");
            made.forEach(j -> metrics.submitted());
            p.complete(new Submission(made.stream().map(j -> views.view(j.job, j.tasks.get(0))).toList(), true));
            return Uni.createFrom().voidItem();
        }
        // the key was used before, in an earlier batch or earlier in this one
        return Panache.withSession(() -> jobs.findByIdempotencyKey(p.owner(), p.idempotencyKey)
                        .chain(found -> found.arrayId == null ? Uni.createFrom().item(List.of(found))
                                : jobs.findArray(found.arrayId)))
                .invoke(found -> p.complete(new Submission(found.stream().map(views::view).toList(), false)))
                .onFailure().invoke(p::fail).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private NewJob newJob(long id, long leader, int rank, Pending p, Instant now) {
        String name = TaskSpecMapper.nameOrDefault(p.name, leader);
        // a one-task job's task carries the job's name, as SkyPilot names the task after the job
        List<TaskSpec> named = p.tasks.size() == 1 ? List.of(renamed(p.tasks.get(0), name)) : p.tasks;
        List<TaskSpec> tasks = p.count == 1 ? named : JobArrays.withRank(named, rank, p.count);
        Job job = new Job();
        job.id = id;
        job.name = name;
        job.owner = p.owner();
        job.quotaNodes = p.demand.nodes();
        job.quotaVcpus = p.demand.vcpus();
        job.quotaAccelerators = p.demand.accelerators();
        job.quotaUsdPerHour = p.demand.usdPerHour();
        job.status = JobStatus.PENDING;
        job.taskJson = views.taskJson(tasks.get(0));
        job.tasksJson = views.tasksJson(tasks, job.taskJson);
        job.taskCount = tasks.size();
        // an array's Idempotency-Key is its leader's: the other ranks are stored only with it
        job.idempotencyKey = rank == 0 ? p.idempotencyKey : null;
        job.submittedAt = now;
        job.statusChangedAt = now;
        if (p.count > 1) {
            job.arrayId = leader;
            job.arrayRank = rank;
            job.arraySize = p.count;
        }
        JobSubmitted event = new JobSubmitted(job.publicId(), name, p.owner(), tasks.get(0), now, tasks, null);
        return new NewJob(p, job, tasks, Outbox.row(event, null, now), false);
    }

    private static TaskSpec renamed(TaskSpec t, String name) {
        return name.equals(t.name()) ? t
                : t.withName(name);
    }

    /** The parameters of {@link #INSERT_JOBS_AND_EVENTS}: a column of each, a row per job. */
    private static Map<String, Object> rows(List<NewJob> batch) {
        int n = batch.size();
        Long[] id = new Long[n];
        String[] name = new String[n], owner = new String[n], status = new String[n], task = new String[n],
                tasks = new String[n], key = new String[n], eventType = new String[n], payload = new String[n];
        Integer[] taskCount = new Integer[n], arrayRank = new Integer[n], arraySize = new Integer[n];
        Long[] arrayId = new Long[n];
        Integer[] quotaNodes = new Integer[n], quotaAccelerators = new Integer[n];
        Double[] quotaVcpus = new Double[n], quotaUsd = new Double[n];
        OffsetDateTime[] at = new OffsetDateTime[n];
        String[] eventId = new String[n];
        for (int i = 0; i < n; i++) {
            Job j = batch.get(i).job;
            Outbox.Row e = batch.get(i).event;
            id[i] = j.id;
            name[i] = j.name;
            owner[i] = j.owner;
            status[i] = j.status.name();
            task[i] = j.taskJson;
            tasks[i] = j.tasksJson;
            taskCount[i] = j.taskCount;
            key[i] = j.idempotencyKey;
            arrayId[i] = j.arrayId;
            arrayRank[i] = j.arrayRank;
            arraySize[i] = j.arraySize;
            quotaNodes[i] = j.quotaNodes;
            quotaVcpus[i] = j.quotaVcpus;
            quotaAccelerators[i] = j.quotaAccelerators;
            quotaUsd[i] = j.quotaUsdPerHour;
            at[i] = utc(j.submittedAt);
            eventId[i] = e.eventId();
            eventType[i] = e.eventType();
            payload[i] = e.payload();
        }
        Map<String, Object> columns = new HashMap<>();
        columns.put("id", id);
        columns.put("name", name);
        columns.put("owner", owner);
        columns.put("status", status);
        columns.put("taskJson", task);
        columns.put("tasksJson", tasks);
        columns.put("taskCount", taskCount);
        columns.put("idempotencyKey", key);
        columns.put("arrayId", arrayId);
        columns.put("arrayRank", arrayRank);
        columns.put("arraySize", arraySize);
        columns.put("quotaNodes", quotaNodes);
        columns.put("quotaVcpus", quotaVcpus);
        columns.put("quotaAccelerators", quotaAccelerators);
        columns.put("quotaUsdPerHour", quotaUsd);
        columns.put("submittedAt", at);
        columns.put("eventId", eventId);
        columns.put("eventType", eventType);
        columns.put("payload", payload);
        return columns;
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private record NewJob(Pending pending, Job job, List<TaskSpec> tasks, Outbox.Row event, boolean isNew) {
        NewJob inserted(boolean isNew) {
            return new NewJob(pending, job, tasks, event, isNew);
        }
    }

    /** A submission waiting for its batch; answered on the context (event loop) its request came in on. */
    private record Pending(String name, List<TaskSpec> tasks, Caller submitter, String idempotencyKey, int count,
                           QuotaDemand demand, UniEmitter<? super Submission> emitter, Context context) {
        String owner() { return submitter.name(); }

        void complete(Submission s) {
            onRequestContext(() -> emitter.complete(s));
        }

        void fail(Throwable failure) {
            onRequestContext(() -> emitter.fail(failure));
        }

        private void onRequestContext(Runnable action) {
            if (context == null) action.run();
            else context.runOnContext(ignored -> action.run());
        }
    }
}

package io.crossjobs.jobapi.service;

import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.config.JobApiConfig;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobView;
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
     * Each parameter is an array holding one column, an element per job ({@link #rows}).
     */
    private static final String INSERT_JOBS_AND_EVENTS = """
            with inserted as (
                insert into jobs (id, name, owner, status, task_json, tasks_json, task_count, idempotency_key,
                                  submitted_at, status_changed_at)
                select * from unnest(#{id}::bigint[], #{name}::varchar[], #{owner}::varchar[], #{status}::varchar[],
                                     #{taskJson}::text[], #{tasksJson}::text[], #{taskCount}::int[],
                                     #{idempotencyKey}::varchar[], #{submittedAt}::timestamptz[],
                                     #{submittedAt}::timestamptz[])
                on conflict (owner, idempotency_key) where idempotency_key is not null do nothing
                returning id),
            events as (
                insert into outbox (%s)
                select e, t, j::varchar, null, p, c
                from unnest(#{eventId}::varchar[], #{eventType}::varchar[], #{id}::bigint[], #{payload}::text[],
                            #{submittedAt}::timestamptz[])
                    with ordinality as u(e, t, j, p, c, n)
                where j in (select id from inserted)
                order by n)
            select id from inserted""".formatted(Outbox.COLUMNS);

    private final Pool pool;
    private final JobRepository jobs;
    private final JobViews views;
    private final TaskSecrets secrets;
    private final JobApiMetrics metrics;
    private final OutboxRelay relay;
    private final JobApiConfig config;
    private final Vertx vertx;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Ids taken from the sequence, not yet given to a job; only the batch being written uses them. */
    private final java.util.ArrayDeque<Long> freeIds = new java.util.ArrayDeque<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    public SubmissionBatcher(Pool pool, JobRepository jobs, JobViews views, TaskSecrets secrets, JobApiMetrics metrics,
                             OutboxRelay relay, JobApiConfig config, Vertx vertx) {
        this.pool = pool;
        this.jobs = jobs;
        this.views = views;
        this.secrets = secrets;
        this.metrics = metrics;
        this.relay = relay;
        this.config = config;
        this.vertx = vertx;
    }

    /** {@code created} false: an earlier submission with the same Idempotency-Key made this job. */
    public record Submission(JobView job, boolean created) { }

    /**
     * Stores the job and its JobSubmitted event. With an {@code idempotencyKey} that this owner already used,
     * nothing new is stored: the answer is the job the first submission created.
     */
    public Uni<Submission> submit(ParsedJob request, String owner, String idempotencyKey) {
        List<TaskSpec> sealed = secrets.seal(request.tasks());
        return Uni.createFrom().emitter(emitter -> {
            queue.add(new Pending(request.name(), sealed, owner, idempotencyKey, emitter, Vertx.currentContext()));
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
        List<Pending> batch = new ArrayList<>();
        for (Pending p; batch.size() < config.submitBatchSize() && (p = queue.poll()) != null; ) batch.add(p);
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

    /** One statement (so one transaction) for the whole batch; answers every submission once it committed. */
    private Uni<Void> store(List<Pending> batch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return ids(batch.size())
                .chain(ids -> {
                    List<NewJob> created = new ArrayList<>(batch.size());
                    for (int i = 0; i < batch.size(); i++) created.add(newJob(ids.get(i), batch.get(i), now));
                    return pool.withConnection(c -> SqlTemplate.forQuery(c, INSERT_JOBS_AND_EVENTS)
                            .execute(rows(created))).map(rows -> {
                        Set<Long> inserted = new HashSet<>();
                        for (Row row : rows) inserted.add(row.getLong("id"));
                        return created.stream().map(j -> j.inserted(inserted.contains(j.job.id))).toList();
                    });
                })
                .chain(stored -> {
                    relay.trigger();
                    return Multi.createFrom().iterable(stored).onItem().transformToUniAndConcatenate(this::answer)
                            .collect().last().replaceWithVoid();
                });
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

    private Uni<Void> answer(NewJob j) {
        Pending p = j.pending;
        if (j.isNew) {
            TaskSpec first = j.tasks.get(0);
            LOG.infof("job=%d submitted name=%s owner=%s tasks=%d cloud=%s num_nodes=%d", j.job.id, j.job.name,
                    p.owner, j.tasks.size(), first.resources().cloud(), first.numNodes());
            metrics.submitted();
            p.complete(new Submission(views.view(j.job, first), true));
            return Uni.createFrom().voidItem();
        }
        // the key was used before, in an earlier batch or earlier in this one
        return Panache.withSession(() -> jobs.findByIdempotencyKey(p.owner, p.idempotencyKey))
                .invoke(found -> p.complete(new Submission(views.view(found), false)))
                .onFailure().invoke(p::fail).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private NewJob newJob(long id, Pending p, Instant now) {
        String name = TaskSpecMapper.nameOrDefault(p.name, id);
        // a one-task job's task carries the job's name, as SkyPilot names the task after the job
        List<TaskSpec> tasks = p.tasks.size() == 1 ? List.of(renamed(p.tasks.get(0), name)) : p.tasks;
        Job job = new Job();
        job.id = id;
        job.name = name;
        job.owner = p.owner;
        job.status = JobStatus.PENDING;
        job.taskJson = views.taskJson(tasks.get(0));
        job.tasksJson = views.tasksJson(tasks, job.taskJson);
        job.taskCount = tasks.size();
        job.idempotencyKey = p.idempotencyKey;
        job.submittedAt = now;
        job.statusChangedAt = now;
        JobSubmitted event = new JobSubmitted(job.publicId(), name, p.owner, tasks.get(0), now, tasks, null);
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
        Integer[] taskCount = new Integer[n];
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
    private record Pending(String name, List<TaskSpec> tasks, String owner, String idempotencyKey,
                           UniEmitter<? super Submission> emitter, Context context) {
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

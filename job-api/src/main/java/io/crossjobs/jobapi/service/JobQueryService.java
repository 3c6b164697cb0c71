package io.crossjobs.jobapi.service;

import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.config.JobApiConfig;
import io.crossjobs.jobapi.config.LimitsConfig;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobEventView;
import io.crossjobs.jobapi.model.JobFilter;
import io.crossjobs.jobapi.model.JobPage;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.model.StoredLogChunk;
import io.crossjobs.jobapi.model.TaskView;
import io.crossjobs.jobapi.repository.JobHistoryRepository;
import io.crossjobs.jobapi.repository.JobRepository;
import io.crossjobs.jobapi.repository.LogChunkRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** Reads of the jobs read model, history and logs. */
@ApplicationScoped
public class JobQueryService {
    private final JobRepository jobs;
    private final JobHistoryRepository history;
    private final LogChunkRepository logs;
    private final JobViews views;
    private final JobApiConfig config;
    private final LimitsConfig limits;

    public JobQueryService(JobRepository jobs, JobHistoryRepository history, LogChunkRepository logs, JobViews views,
                           JobApiConfig config, LimitsConfig limits) {
        this.limits = limits;
        this.jobs = jobs;
        this.history = history;
        this.logs = logs;
        this.views = views;
        this.config = config;
    }

    @WithSession
    public Uni<JobView> get(String jobId, Caller caller) {
        return existing(jobId, caller).map(views::view);
    }

    /** {@code cursor} is the {@code nextCursor} of the previous page; the first page has none. */
    @WithSession
    public Uni<JobPage> list(JobFilter filter, String cursor, int limit) {
        Long before = cursor == null ? null : JobIds.parse(cursor)
                .orElseThrow(() -> new InvalidInputException("cursor", "is not a cursor this API returned"));
        // one more than asked tells whether another page exists without a count query
        return jobs.findPage(filter, before, limit + 1).map(rows -> {
            boolean more = rows.size() > limit;
            List<Job> page = more ? rows.subList(0, limit) : rows;
            String next = more ? page.get(page.size() - 1).publicId() : null;
            return new JobPage(page.stream().map(views::view).toList(), next);
        });
    }

    @WithSession
    public Uni<List<JobEventView>> history(String jobId, Caller caller) {
        return existing(jobId, caller).chain(job -> history.ofJob(job.id))
                .map(rows -> rows.stream().map(JobEventView::of).toList());
    }

    /** The job's pipeline tasks in order, each as its status history tells it ({@link PipelineTasks}). */
    @WithSession
    public Uni<List<TaskView>> tasks(String jobId, Caller caller) {
        return existing(jobId, caller).chain(job -> history.ofJob(job.id)
                .map(rows -> PipelineTasks.of(job, views.tasks(job), rows, Instant.now())));
    }

    /** The output {@code selection} names (a node, of every attempt or of one task's); {@code tailLines} null for all. */
    @WithSession
    public Uni<String> logs(String jobId, LogSelection selection, Integer tailLines, Caller caller) {
        return selected(jobId, selection, caller).chain(source -> logs.ofNode(source.job().id, selection.node())
                .map(rows -> {
                    String text = source.assemble(rows, limits.logMaxBytes());
                    return tailLines == null ? text : LogAssembler.tail(text, tailLines);
                }));
    }

    /**
     * The output {@code selection} names so far, and whether no more will come: the job is terminal, or the task
     * selected has ended, and has been for {@code jobapi.log-settle-time}. A terminal status waits for the output to be
     * stored, but output the controller stopped waiting for, or a worker's lines after the head node exited, may
     * still be stored after it. Reads only the chunks stored since {@code follower}'s last look.
     */
    @WithSession
    public Uni<LogState> logState(String jobId, LogSelection selection, Caller caller, LogFollower follower) {
        Instant settledBefore = Instant.now().minus(config.logSettleTime());
        return selected(jobId, selection, caller).chain(source -> {
            Instant since = follower.since();
            Uni<List<StoredLogChunk>> read = since == null ? logs.ofNode(source.job().id, selection.node())
                    : logs.ofNodeSince(source.job().id, selection.node(), since);
            return read.map(rows -> {
                follower.add(rows);
                return new LogState(source.assemble(follower.chunks(), limits.logMaxBytes()),
                        source.settled(settledBefore));
            });
        });
    }

    public record LogState(String text, boolean finished) { }

    /** The job and, when the selection names a task, that task: whose attempts' output is shown. */
    private record LogSource(Job job, TaskView task) {
        /** The text, and when the job's output was capped, a line saying so after it. */
        String assemble(List<StoredLogChunk> rows, long maxBytes) {
            String text = LogAssembler.assembleAttempts(rows.stream()
                    .filter(c -> task == null || task.attempts().contains(c.key.attempt))
                    .map(JobQueryService::chunk).toList());
            return job.logCappedAt == null ? text : LogAssembler.withCapMarker(text, maxBytes);
        }

        boolean settled(Instant settledBefore) {
            boolean jobDone = job.status.isTerminal() && (job.endedAt == null || job.endedAt.isBefore(settledBefore));
            return jobDone || (task != null && task.endedAt() != null && task.endedAt().isBefore(settledBefore));
        }
    }

    /**
     * The job, when the selection's task is one of its tasks and its node one of that task's (the first task's when
     * no task is named) nodes' ranks; 400 naming {@code task} or {@code node} otherwise.
     */
    private Uni<LogSource> selected(String jobId, LogSelection selection, Caller caller) {
        return existing(jobId, caller).chain(job -> {
            Integer task = selection.task();
            // a follow reads this every tick: the whole pipeline is parsed only when a task is named
            List<TaskSpec> tasks = task == null ? List.of(views.task(job)) : views.tasks(job);
            if (task != null && task >= tasks.size()) {
                throw new InvalidInputException("task", "the job has " + tasks.size() + " task(s), 0 to "
                        + (tasks.size() - 1) + "; was " + task);
            }
            int nodes = tasks.get(task == null ? 0 : task).numNodes();
            if (selection.node() >= nodes) {
                throw new InvalidInputException("node", (task == null ? "the job" : "task " + task) + " has " + nodes
                        + " node(s), ranks 0 to " + (nodes - 1) + "; was " + selection.node());
            }
            if (task == null) return Uni.createFrom().item(new LogSource(job, null));
            return history.ofJob(job.id).map(rows ->
                    new LogSource(job, PipelineTasks.of(job, tasks, rows, Instant.now()).get(task)));
        });
    }

    /** Another user's job is answered exactly like one that does not exist. */
    private Uni<Job> existing(String jobId, Caller caller) {
        long id = JobIds.require(jobId);
        return jobs.findById(id).map(job -> job != null && caller.maySee(job.owner) ? job : null)
                .onItem().ifNull().failWith(() -> new JobNotFoundException(jobId));
    }

    private static LogAssembler.Chunk chunk(StoredLogChunk c) {
        return new LogAssembler.Chunk(c.key.attempt, c.key.byteOffset, c.text);
    }
}

package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.config.JobApiConfig;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobEventView;
import io.crossjobs.jobapi.model.JobFilter;
import io.crossjobs.jobapi.model.JobPage;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.model.StoredLogChunk;
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
    /** Logs are shown for the head node, as {@code sky jobs logs} does. */

    private final JobRepository jobs;
    private final JobHistoryRepository history;
    private final LogChunkRepository logs;
    private final JobViews views;
    private final JobApiConfig config;

    public JobQueryService(JobRepository jobs, JobHistoryRepository history, LogChunkRepository logs, JobViews views,
                           JobApiConfig config) {
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

    /** Node {@code node}'s output (0 is the head), all attempts; {@code tailLines} null for everything. */
    @WithSession
    public Uni<String> logs(String jobId, int node, Integer tailLines, Caller caller) {
        return existingNode(jobId, node, caller).chain(job -> logs.ofNode(job.id, node)).map(rows -> {
            String text = LogAssembler.assembleAttempts(rows.stream().map(JobQueryService::chunk).toList());
            return tailLines == null ? text : LogAssembler.tail(text, tailLines);
        });
    }

    /**
     * Node {@code node}'s whole output so far, and whether no more will come: the job is terminal and has been for
     * {@code jobapi.log-settle-time}. A terminal status waits for the output to be stored, but output the controller
     * stopped waiting for, or a worker's lines after the head node exited, may still be stored after it.
     */
    @WithSession
    public Uni<LogState> logState(String jobId, int node, Caller caller) {
        Instant settledBefore = Instant.now().minus(config.logSettleTime());
        return existingNode(jobId, node, caller).chain(job -> logs.ofNode(job.id, node).map(rows -> new LogState(
                LogAssembler.assembleAttempts(rows.stream().map(JobQueryService::chunk).toList()),
                job.status.isTerminal() && (job.endedAt == null || job.endedAt.isBefore(settledBefore)))));
    }

    public record LogState(String text, boolean finished) { }

    /** The job, when {@code node} is one of its nodes' ranks; 400 naming {@code node} otherwise. */
    private Uni<Job> existingNode(String jobId, int node, Caller caller) {
        return existing(jobId, caller).invoke(job -> {
            int nodes = views.task(job).numNodes();
            if (node >= nodes) {
                throw new InvalidInputException("node", "the job has " + nodes + " node(s), ranks 0 to " + (nodes - 1)
                        + "; was " + node);
            }
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

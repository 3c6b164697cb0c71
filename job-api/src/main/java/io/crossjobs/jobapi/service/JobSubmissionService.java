package io.crossjobs.jobapi.service;

import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.model.SubmitJobRequest;
import io.crossjobs.jobapi.repository.JobRepository;
import io.crossjobs.jobapi.repository.OutboxRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Accepts jobs and cancel requests. Each writes its state change and the event announcing it in one
 * transaction (the outbox), so an event is published if and only if the change committed.
 */
@ApplicationScoped
public class JobSubmissionService {
    private static final Logger LOG = Logger.getLogger(JobSubmissionService.class);

    private final JobRepository jobs;
    private final OutboxRepository outbox;
    private final JobViews views;

    public JobSubmissionService(JobRepository jobs, OutboxRepository outbox, JobViews views) {
        this.jobs = jobs;
        this.outbox = outbox;
        this.views = views;
    }

    @WithTransaction
    public Uni<JobView> submit(SubmitJobRequest request, String owner) {
        Instant now = now();
        return jobs.nextId().chain(id -> {
            String name = TaskSpecMapper.nameOrDefault(request.name(), id);
            TaskSpec task = TaskSpecMapper.toTaskSpec(request, name);
            Job job = new Job();
            job.id = id;
            job.name = name;
            job.owner = owner;
            job.status = JobStatus.PENDING;
            job.taskJson = views.taskJson(task);
            job.submittedAt = now;
            job.statusChangedAt = now;
            JobSubmitted event = new JobSubmitted(job.publicId(), name, owner, task, now);
            return jobs.persist(job)
                    .call(() -> outbox.append(event, now))
                    .invoke(() -> LOG.infof("job=%d submitted name=%s owner=%s cloud=%s num_nodes=%d", id, name,
                            owner, task.resources().cloud(), task.numNodes()))
                    .map(views::view);
        });
    }

    /**
     * Asks the controller to cancel the job, once: repeated requests change nothing. The outcome says
     * whether the job was still running (accepted) or had already finished.
     */
    @WithTransaction
    public Uni<CancelOutcome> cancel(String jobId, String requestedBy) {
        long id = JobIds.require(jobId);
        Instant now = now();
        return jobs.markCancelRequested(id, now)
                .call(marked -> marked == 1
                        ? outbox.append(new CancelRequested(jobId, requestedBy, now), now)
                                .invoke(() -> LOG.infof("job=%d cancel requested by=%s", id, requestedBy))
                        : Uni.createFrom().voidItem())
                .chain(() -> jobs.findById(id))
                .onItem().ifNull().failWith(() -> new JobNotFoundException(jobId))
                .map(job -> new CancelOutcome(views.view(job), !job.status.isTerminal()));
    }

    public record CancelOutcome(JobView job, boolean accepted) { }

    /** PostgreSQL keeps microseconds; truncating here makes the stored, published and returned times equal. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

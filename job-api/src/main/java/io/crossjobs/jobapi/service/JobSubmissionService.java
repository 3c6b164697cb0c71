package io.crossjobs.jobapi.service;

import io.crossjobs.events.CancelRequested;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.repository.JobRepository;
import io.crossjobs.jobapi.repository.OutboxRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Accepts cancel requests (submissions: {@link SubmissionBatcher}). Each writes its state change and the event
 * announcing it in one transaction (the outbox), so an event is published if and only if the change committed.
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

    /**
     * Asks the controller to cancel the job, once: repeated requests change nothing. The outcome says
     * whether the job was still running (accepted) or had already finished. Another user's job is 404.
     */
    @WithTransaction
    public Uni<CancelOutcome> cancel(String jobId, Caller caller) {
        long id = JobIds.require(jobId);
        Instant now = now();
        return requestCancel(id, now, caller)
                .chain(() -> jobs.findById(id))
                .map(job -> job != null && caller.maySee(job.owner) ? job : null)
                .onItem().ifNull().failWith(() -> new JobNotFoundException(jobId))
                .map(job -> new CancelOutcome(views.view(job), !job.status.isTerminal()));
    }

    /**
     * Cancels every unfinished job of the caller (an admin: of everyone) or only those called {@code name}.
     * Idempotent: a job already asked to cancel is listed again, under {@code alreadyRequested}.
     */
    @WithTransaction
    public Uni<CancelMany> cancelMany(String name, Caller caller) {
        Instant now = now();
        return jobs.findUnfinishedIds(caller.admin() ? null : caller.name(), name).chain(ids -> {
            List<String> requested = new java.util.ArrayList<>();
            List<String> already = new java.util.ArrayList<>();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Long id : ids) {
                chain = chain.chain(() -> requestCancel(id, now, caller))
                        .invoke(marked -> (marked ? requested : already).add(String.valueOf(id)))
                        .replaceWithVoid();
            }
            return chain.map(v -> new CancelMany(requested, already));
        });
    }

    private Uni<Boolean> requestCancel(long id, Instant now, Caller caller) {
        return jobs.markCancelRequested(id, now, caller.admin() ? null : caller.name())
                .call(marked -> marked == 1
                        ? outbox.append(new CancelRequested(String.valueOf(id), caller.name(), now), now)
                                .invoke(() -> LOG.infof("job=%d cancel requested by=%s", id, caller.name()))
                        : Uni.createFrom().voidItem())
                .map(marked -> marked == 1);
    }

    /** Job ids newly asked to cancel, and those asked before (still finishing). */
    public record CancelMany(List<String> requested, List<String> alreadyRequested) { }

    public record CancelOutcome(JobView job, boolean accepted) { }

    /** PostgreSQL keeps microseconds; truncating here makes the stored, published and returned times equal. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

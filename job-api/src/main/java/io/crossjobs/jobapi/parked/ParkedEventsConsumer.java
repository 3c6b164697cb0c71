package io.crossjobs.jobapi.parked;

import io.crossjobs.events.Channels;
import io.crossjobs.events.EventType;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.repository.JobRepository;
import io.crossjobs.jobapi.service.JobIds;
import io.crossjobs.jobapi.service.JobStatusProjection;
import io.crossjobs.jobapi.service.JobUpdates;
import io.crossjobs.service.messaging.HandlerRetry;
import io.crossjobs.service.messaging.MessagingConfig;
import io.crossjobs.service.messaging.ParkedRecord;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * parked-events → the parked_events table, listed to admins ({@link ParkedEventsResource}). The controller fails
 * the jobs it knows whose events were parked; a submission it never read is failed here, since the controller has
 * no record of that job to fail.
 */
@ApplicationScoped
public class ParkedEventsConsumer {
    private static final Logger LOG = Logger.getLogger(ParkedEventsConsumer.class);

    private final ParkedEventStore store;
    private final JobRepository jobs;
    private final JobStatusProjection projection;
    private final JobUpdates updates;
    private final HandlerRetry retry;

    public ParkedEventsConsumer(ParkedEventStore store, JobRepository jobs, JobStatusProjection projection,
                                JobUpdates updates, MessagingConfig config) {
        this.store = store;
        this.jobs = jobs;
        this.projection = projection;
        this.updates = updates;
        this.retry = new HandlerRetry(config.retry());
    }

    @Incoming(Channels.PARKED_IN)
    public Uni<Void> onParked(Message<String> message) {
        ParkedRecord parked = ParkedRecord.of(message);
        if (parked == null) return Uni.createFrom().completionStage(message::ack);
        return retry.run(() -> store.store(parked, Instant.now()).chain(fresh -> {
                    if (!fresh) return Uni.createFrom().voidItem();
                    LOG.warnf("parked %s: %s from %s (key %s): %s", parked.id(), parked.eventType(), parked.origin(),
                            parked.key(), parked.reason());
                    return unreadSubmission(parked) ? failSubmission(parked) : Uni.createFrom().voidItem();
                }))
                .chain(() -> Uni.createFrom().completionStage(message::ack));
    }

    private static boolean unreadSubmission(ParkedRecord parked) {
        return Topics.JOB_REQUESTS.equals(parked.origin().topic())
                && EventType.JOB_SUBMITTED.ceType().equals(parked.eventType())
                && JobIds.parse(parked.key()).isPresent();
    }

    /** The controller never read the submission, so the job is still PENDING here and nowhere else. */
    private Uni<Void> failSubmission(ParkedRecord parked) {
        long id = JobIds.parse(parked.key()).orElseThrow();
        return Panache.withSession(() -> jobs.findById(id)).chain(job -> {
            if (job == null || job.status != JobStatus.PENDING) return Uni.createFrom().voidItem();
            JobStatusChanged failed = failedByController(job, "controller error: the submission could not be "
                    + "handled and was parked as " + parked.id() + ": " + parked.reason());
            return projection.apply(parked.id(), failed).invoke(result -> {
                if (result.applied()) updates.published(failed, result.owner());
            }).replaceWithVoid();
        });
    }

    private static JobStatusChanged failedByController(Job job, String reason) {
        return JobStatusChanged.of(String.valueOf(job.id)).name(job.name).owner(job.owner).from(JobStatus.PENDING)
                .to(JobStatus.FAILED_CONTROLLER).reason(reason).failureReason(FailureReason.CONTROLLER_ERROR)
                .at(Instant.now().truncatedTo(ChronoUnit.MICROS)).taskCount(job.taskCount).build();
    }
}

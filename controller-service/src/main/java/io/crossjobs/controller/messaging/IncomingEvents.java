package io.crossjobs.controller.messaging;

import io.crossjobs.controller.service.LaunchScheduler;
import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.crossjobs.service.HandlerRetry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.function.BiFunction;

/**
 * What every consumer does around its handlers: decode the CloudEvent, skip (and ack) what is not a
 * crossjobs event so one bad record never blocks a partition, skip (and ack) the events of the controller's own
 * clusters (keyed by its identity, {@link ClusterRole}: its keeper's business, not a job's), retry a handler
 * that failed (while the database is away: until it is back, see {@link HandlerRetry}), ack after the commit
 * and wake the outbox relay.
 * A handler still failing after the retries nacks: the channel stops and health reports it, rather than
 * losing the event; the uncommitted offset is consumed again after a restart.
 */
@ApplicationScoped
public class IncomingEvents {
    private static final int RETRIES = 3;
    /** Longer than a PostgreSQL restart or fail-over takes. */
    private static final Duration OUTAGE_PATIENCE = Duration.ofMinutes(5);
    private final HandlerRetry retry = new HandlerRetry(RETRIES, OUTAGE_PATIENCE, Duration.ofMillis(100),
            Duration.ofSeconds(2), System::nanoTime);

    private final OutboxRelay relay;
    private final LaunchScheduler scheduler;

    public IncomingEvents(OutboxRelay relay, LaunchScheduler scheduler) {
        this.relay = relay;
        this.scheduler = scheduler;
    }

    /** {@code handlers} returns null for an event type that does not belong on this channel. */
    public Uni<Void> process(String channel, Message<String> message,
                             BiFunction<String, JobEvent, Uni<Void>> handlers) {
        JobEvent event;
        String eventId;
        try {
            event = CloudEventMessages.unwrap(message);
            eventId = CloudEventMessages.eventId(message);
        } catch (RuntimeException e) {
            Log.warnf("%s: skipping malformed record %s: %s", channel, where(message), e.getMessage());
            return ack(message);
        }
        if (event.jobId() == null || event.jobId().isBlank()) {
            Log.warnf("%s: skipping %s %s without a job id at %s", channel, EventType.of(event), eventId, where(message));
            return ack(message);
        }
        if (ClusterRole.isController(event.jobId())) {
            // the controller's own VMs: its keeper in job-api launched them and watches them; taken for a job here,
            // a ClusterFound of the VM this process runs on would be answered with TerminateCluster
            Log.debugf("%s: %s %s of controller %s is its keeper's, skipped", channel, EventType.of(event), eventId,
                    event.jobId());
            return ack(message);
        }
        JobEvent decoded = event;
        return retry.run(() -> {
                    Uni<Void> work = handlers.apply(eventId, decoded);
                    if (work == null) {
                        Log.debugf("%s: job=%s %s is not for this controller, skipped", channel, decoded.jobId(),
                                EventType.of(decoded));
                        return Uni.createFrom().voidItem();
                    }
                    return work;
                })
                .onItemOrFailure().transformToUni((ignored, failure) -> {
                    if (failure != null) {
                        Log.errorf(failure, "%s: job=%s %s %s failed for good", channel, decoded.jobId(),
                                EventType.of(decoded), eventId);
                        return Uni.createFrom().completionStage(() -> message.nack(failure));
                    }
                    relay.trigger();
                    // a submission, a failed launch or a finished one may have made a launch possible
                    scheduler.trigger();
                    return ack(message);
                });
    }

    private static Uni<Void> ack(Message<String> message) {
        return Uni.createFrom().completionStage(message::ack);
    }

    private static String where(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse("(no Kafka metadata)");
    }
}

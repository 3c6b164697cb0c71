package io.crossjobs.service.messaging;

import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.EventType;
import io.crossjobs.events.JobEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * What every consumer does around its handler: decode the CloudEvent, retry a failing handler
 * ({@link HandlerRetry}), ack after the commit and announce it ({@link EventHandled}).
 *
 * <p>An event that cannot be handled, because it cannot be read, has no job id, or its handler still fails after
 * the retries, is parked: nacked, and each incoming channel's failure strategy ({@code dead-letter-queue}, topic
 * {@link io.crossjobs.events.Topics#PARKED}) writes the record, its headers and the reason there and goes on with
 * the next record. One bad event never stops a channel; who owns the parked events (job-api lists them, the
 * controller fails their jobs) reads that topic. A handler that fails while the service shuts down (its database
 * pool closed under it) parks nothing: the record is left unacknowledged, for after the restart.
 */
@ApplicationScoped
public class IncomingEvents {
    private static final Logger LOG = Logger.getLogger(IncomingEvents.class);

    private final HandlerRetry retry;
    private final Event<EventHandled> handled;
    private volatile boolean stopping;

    public IncomingEvents(MessagingConfig config, Event<EventHandled> handled) {
        this.retry = new HandlerRetry(config.retry());
        this.handled = handled;
    }

    /** From here on a failing handler is the shutdown's doing (its pool closed under it), not its event's. */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Handles {@code message} on {@code channel} if it carries an event of {@code type}; another crossjobs event is
     * skipped (it belongs to another consumer of the topic). A handler returning null skips the event too.
     */
    public <E extends JobEvent> Uni<Void> handle(String channel, Message<String> message, Class<E> type,
                                                 EventHandler<E> handler) {
        JobEvent decoded;
        String eventId;
        try {
            decoded = CloudEventMessages.unwrap(message);
            eventId = CloudEventMessages.eventId(message);
        } catch (RuntimeException e) {
            return park(channel, message, "unreadable record at " + where(message) + ": " + e.getMessage(), e);
        }
        if (decoded.jobId() == null || decoded.jobId().isBlank()) {
            return park(channel, message, EventType.of(decoded) + " " + eventId + " has no job id", null);
        }
        if (!type.isInstance(decoded)) {
            LOG.debugf("%s: job=%s %s %s is not for this consumer, skipped", channel, decoded.jobId(),
                    EventType.of(decoded), eventId);
            return ack(message);
        }
        E event = type.cast(decoded);
        return retry.run(() -> {
                    Uni<?> work = handler.handle(eventId, event);
                    return work == null ? Uni.createFrom().voidItem() : work;
                })
                .onItemOrFailure().transformToUni((ignored, failure) -> {
                    if (failure != null && stopping) {
                        // neither acked nor parked: its offset stays uncommitted, so it is handled after the restart
                        LOG.infof("%s: job=%s %s %s left for after the restart: %s", channel, event.jobId(),
                                EventType.of(event), eventId, failure.toString());
                        return Uni.createFrom().<Void>nothing();
                    }
                    if (failure != null) {
                        return park(channel, message, "job=" + event.jobId() + " " + EventType.of(event) + " "
                                + eventId + " could not be handled: " + failure, failure);
                    }
                    handled.fire(new EventHandled(channel, eventId));
                    return ack(message);
                });
    }

    private static Uni<Void> park(String channel, Message<String> message, String reason, Throwable cause) {
        LOG.errorf(cause, "%s: parking %s: %s", channel, where(message), reason);
        return Uni.createFrom().completionStage(() -> message.nack(new ParkedEventException(reason, cause)));
    }

    private static Uni<Void> ack(Message<String> message) {
        return Uni.createFrom().completionStage(message::ack);
    }

    private static String where(Message<String> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
                .orElse("(no Kafka metadata)");
    }

    @FunctionalInterface
    public interface EventHandler<E> {
        /** The event's effect, committed when the Uni completes; null when there is nothing to do. */
        Uni<?> handle(String eventId, E event);
    }

    /** Why an event was parked: its message is the {@code dead-letter-reason} header of the parked record. */
    public static final class ParkedEventException extends RuntimeException {
        public ParkedEventException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}

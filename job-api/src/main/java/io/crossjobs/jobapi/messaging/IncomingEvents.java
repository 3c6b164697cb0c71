package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.MalformedEventException;
import io.crossjobs.service.HandlerRetry;
import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * What every consumer of this service does around its own logic: decode the CloudEvent, skip (and log)
 * what is not a crossjobs event of the expected type, retry failures ({@link HandlerRetry}: through a database
 * outage of up to five minutes, other failures a few times), then ack — or nack, which stops the channel and marks
 * the service unhealthy rather than lose the event.
 */
final class IncomingEvents {
    /** The outage patience is longer than a PostgreSQL restart or fail-over takes. */
    private static final HandlerRetry RETRY = new HandlerRetry(8, Duration.ofMinutes(5), Duration.ofMillis(200),
            Duration.ofSeconds(5), System::nanoTime);

    static <E extends JobEvent> Uni<Void> handle(Message<String> message, Class<E> type, Logger log,
                                                 EventHandler<E> handler) {
        Optional<Decoded<E>> decoded = decode(message, type, log);
        if (decoded.isEmpty()) return Uni.createFrom().completionStage(message.ack());
        Decoded<E> d = decoded.get();
        return RETRY.run(() -> handler.handle(d.eventId(), d.event()))
                .onItemOrFailure().transformToUni((ignored, failure) -> {
                    if (failure == null) return Uni.createFrom().completionStage(message.ack());
                    log.errorf(failure, "job=%s event %s could not be applied; stopping the channel",
                            d.event().jobId(), d.eventId());
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    private static <E extends JobEvent> Optional<Decoded<E>> decode(Message<String> message, Class<E> type,
                                                                    Logger log) {
        try {
            JobEvent event = CloudEventMessages.unwrap(message);
            String eventId = CloudEventMessages.eventId(message);
            if (!type.isInstance(event)) {
                log.warnf("job=%s skipped event %s of type %s: this channel carries %s", event.jobId(), eventId,
                        event.getClass().getSimpleName(), type.getSimpleName());
                return Optional.empty();
            }
            return Optional.of(new Decoded<>(eventId, type.cast(event)));
        } catch (MalformedEventException e) {
            log.warnf("skipped a record that is not a crossjobs event: %s", e.getMessage());
            return Optional.empty();
        }
    }

    @FunctionalInterface
    interface EventHandler<E> {
        Uni<?> handle(String eventId, E event);
    }

    private record Decoded<E>(String eventId, E event) { }

    private IncomingEvents() { }
}

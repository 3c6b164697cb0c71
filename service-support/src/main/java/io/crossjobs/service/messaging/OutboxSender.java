package io.crossjobs.service.messaging;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Where {@link OutboxRelay} sends: each service's bean binds its Kafka channel (idempotent producer, acks=all),
 * whose topic is the default for rows that name none.
 */
public interface OutboxSender {
    /** Completes when the broker acknowledged the record, fails when it did not. */
    Uni<Void> send(Message<String> message);
}

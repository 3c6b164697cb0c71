package io.crossjobs.jobapi.messaging;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Where the outbox relay sends its records: Kafka ({@link KafkaOutboxSender}); a seam for failure tests. */
public interface OutboxSender {
    /** Completes when the broker acknowledged the record, fails when it did not. */
    Uni<Void> send(Message<String> message);
}

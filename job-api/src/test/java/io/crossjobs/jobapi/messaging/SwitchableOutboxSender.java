package io.crossjobs.jobapi.messaging;

import io.crossjobs.service.messaging.OutboxSender;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The relay's sender in tests: Kafka, unless a test switches it "down" to refuse every record. */
@Alternative
@Priority(1)
@ApplicationScoped
public class SwitchableOutboxSender implements OutboxSender {
    static final AtomicBoolean DOWN = new AtomicBoolean();
    static final AtomicInteger REFUSED = new AtomicInteger();

    private final KafkaOutboxSender kafka;

    public SwitchableOutboxSender(KafkaOutboxSender kafka) {
        this.kafka = kafka;
    }

    @Override
    public Uni<Void> send(Message<String> message) {
        if (!DOWN.get()) return kafka.send(message);
        REFUSED.incrementAndGet();
        return Uni.createFrom().failure(new IOException("broker unreachable (test)"));
    }
}

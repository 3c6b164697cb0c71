package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.Channels;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** The job-requests channel (idempotent producer, acks=all). */
@ApplicationScoped
public class KafkaOutboxSender implements OutboxSender {
    private final MutinyEmitter<String> emitter;

    public KafkaOutboxSender(@Channel(Channels.JOB_REQUESTS_OUT)
                             @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                             MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Void> send(Message<String> message) {
        return emitter.sendMessage(message);
    }
}

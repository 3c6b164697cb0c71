package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.service.messaging.OutboxSender;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** job-api's outbox channel: job-requests by default, provision-commands.&lt;cloud&gt; for the keeper's commands. */
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

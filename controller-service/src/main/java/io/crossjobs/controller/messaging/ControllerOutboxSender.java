package io.crossjobs.controller.messaging;

import io.crossjobs.service.messaging.OutboxSender;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** The controller's outbox channel: job-status by default, provision-commands.&lt;cloud&gt; as each row names. */
@ApplicationScoped
public class ControllerOutboxSender implements OutboxSender {
    public static final String CHANNEL = "controller-out";

    private final MutinyEmitter<String> emitter;

    public ControllerOutboxSender(@Channel(CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
                                  MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Uni<Void> send(Message<String> message) {
        return emitter.sendMessage(message);
    }
}

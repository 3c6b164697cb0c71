package io.crossjobs.provisioner.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LogChunk;
import io.crossjobs.provisioner.CloudProvisioner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends provisioner events as CloudEvents keyed by job id: log chunks to job-logs, everything else to
 * provision-events, and JobExited to both: the controller decides on it, and job-api reads it behind the chunks it
 * ends to tell when the attempt's output is stored. Messages are handed to Kafka in call order (one job's events
 * stay in order on each topic) and each returned stage completes when Kafka has acknowledged the record(s).
 */
@ApplicationScoped
public class ProvisionEventPublisher {
    private final Emitter<String> events;
    private final Emitter<String> logs;
    private final String source;

    @Inject
    public ProvisionEventPublisher(
            @Channel(Channels.PROVISION_EVENTS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
            Emitter<String> events,
            @Channel(Channels.JOB_LOGS_OUT) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
            Emitter<String> logs,
            CloudProvisioner cloud) {
        this.events = events;
        this.logs = logs;
        this.source = "/crossjobs/provisioner-" + cloud.cloud();
    }

    public CompletionStage<Void> publish(JobEvent event) {
        if (event instanceof LogChunk) return send(logs, event);
        if (event instanceof JobExited) return CompletableFuture.allOf(send(events, event), send(logs, event));
        return send(events, event);
    }

    private CompletableFuture<Void> send(Emitter<String> channel, JobEvent event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        Message<String> message = CloudEventMessages.wrap(source, event)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        try {
            channel.send(message);
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** Sends all, in order; completes when every one is acknowledged. */
    public CompletionStage<Void> publishAll(List<? extends JobEvent> all) {
        CompletableFuture<?>[] acks = all.stream().map(e -> publish(e).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(acks);
    }
}

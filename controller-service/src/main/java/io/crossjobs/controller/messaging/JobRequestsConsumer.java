package io.crossjobs.controller.messaging;

import io.crossjobs.controller.service.JobLifecycleService;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.Channels;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.OutputStored;
import io.crossjobs.events.ReleaseHoldRequested;
import io.crossjobs.service.messaging.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** job-requests: what users ask of their jobs, and which attempts' output is stored (through job-api). */
@ApplicationScoped
public class JobRequestsConsumer {
    private final IncomingEvents incoming;
    private final JobLifecycleService lifecycle;

    public JobRequestsConsumer(IncomingEvents incoming, JobLifecycleService lifecycle) {
        this.incoming = incoming;
        this.lifecycle = lifecycle;
    }

    @Incoming(Channels.JOB_REQUESTS_IN)
    public Uni<Void> consume(Message<String> message) {
        return incoming.handle(Channels.JOB_REQUESTS_IN, message, JobEvent.class, this::dispatch);
    }

    private Uni<Void> dispatch(String eventId, JobEvent event) {
        if (event instanceof JobSubmitted submitted) return lifecycle.onJobSubmitted(eventId, submitted);
        if (event instanceof CancelRequested cancel) return lifecycle.onCancelRequested(eventId, cancel);
        if (event instanceof OutputStored stored) return lifecycle.onOutputStored(eventId, stored);
        if (event instanceof ReleaseHoldRequested release) return lifecycle.onReleaseHoldRequested(eventId, release);
        return null;
    }
}

package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.events.LogChunk;
import io.crossjobs.jobapi.service.JobLogStore;
import io.crossjobs.service.messaging.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** job-logs → stored chunks. No inbox needed: a chunk's key (job, attempt, node, offset) makes it idempotent. */
@ApplicationScoped
public class JobLogConsumer {
    private final IncomingEvents incoming;
    private final JobLogStore store;

    public JobLogConsumer(IncomingEvents incoming, JobLogStore store) {
        this.incoming = incoming;
        this.store = store;
    }

    @Incoming(Channels.JOB_LOGS_IN)
    public Uni<Void> onLogChunk(Message<String> message) {
        return incoming.handle(Channels.JOB_LOGS_IN, message, LogChunk.class, (eventId, chunk) -> {
            // the controller VM's console is its startup script's few lines; its own log stays on its VM
            if (ClusterRole.isController(chunk.jobId())) return null;
            return store.store(chunk);
        });
    }
}

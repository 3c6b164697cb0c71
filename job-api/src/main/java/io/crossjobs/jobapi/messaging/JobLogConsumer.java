package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.events.LogChunk;
import io.crossjobs.jobapi.service.JobLogStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** job-logs → stored chunks. No inbox needed: a chunk's key (job, attempt, node, offset) makes it idempotent. */
@ApplicationScoped
public class JobLogConsumer {
    private static final Logger LOG = Logger.getLogger(JobLogConsumer.class);

    private final JobLogStore store;

    public JobLogConsumer(JobLogStore store) {
        this.store = store;
    }

    @Incoming(Channels.JOB_LOGS_IN)
    public Uni<Void> onLogChunk(Message<String> message) {
        return IncomingEvents.handle(message, LogChunk.class, LOG, (eventId, chunk) -> {
            // the controller VM's console is its startup script's few lines; its own log stays on its VM
            if (ClusterRole.isController(chunk.jobId())) return Uni.createFrom().voidItem();
            return store.store(chunk);
        });
    }
}

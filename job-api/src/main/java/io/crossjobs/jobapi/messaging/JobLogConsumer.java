package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LogChunk;
import io.crossjobs.jobapi.output.OutputCompletion;
import io.crossjobs.jobapi.service.JobLogStore;
import io.crossjobs.service.messaging.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * job-logs → stored chunks, and after an attempt's chunks its exit, which says where that output ends
 * ({@link OutputCompletion}). Records are handled one at a time in partition order, which is what lets the exit
 * find its chunks stored. No inbox needed: a chunk's key (job, attempt, node, offset) makes it idempotent, and an exit
 * handled twice tells the controller twice what it already knows.
 */
@ApplicationScoped
public class JobLogConsumer {
    private final IncomingEvents incoming;
    private final JobLogStore store;
    private final OutputCompletion completion;

    public JobLogConsumer(IncomingEvents incoming, JobLogStore store, OutputCompletion completion) {
        this.incoming = incoming;
        this.store = store;
        this.completion = completion;
    }

    @Incoming(Channels.JOB_LOGS_IN)
    public Uni<Void> onLogChunk(Message<String> message) {
        return incoming.handle(Channels.JOB_LOGS_IN, message, JobEvent.class, (eventId, event) -> {
            // the controller VM's console is its startup script's few lines; its own log stays on its VM
            if (ClusterRole.isController(event.jobId())) return null;
            if (event instanceof LogChunk chunk) return store.store(chunk);
            if (event instanceof JobExited exit) return completion.onExit(exit);
            return null;   // job-logs carries LogChunk and JobExited; another type is another consumer's
        });
    }
}

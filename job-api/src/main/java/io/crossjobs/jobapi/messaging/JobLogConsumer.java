package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LogChunk;
import io.crossjobs.jobapi.output.OutputCompletion;
import io.crossjobs.jobapi.service.JobLogStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * job-logs → stored chunks, and after an attempt's chunks its exit, which says where that output ends
 * ({@link OutputCompletion}). Records are handled one at a time in partition order, which is what lets the exit
 * find its chunks stored. No inbox needed: a chunk's key (job, attempt, node, offset) makes it idempotent, and an exit
 * handled twice tells the controller twice what it already knows.
 */
@ApplicationScoped
public class JobLogConsumer {
    private static final Logger LOG = Logger.getLogger(JobLogConsumer.class);

    private final JobLogStore store;
    private final OutputCompletion completion;

    public JobLogConsumer(JobLogStore store, OutputCompletion completion) {
        this.store = store;
        this.completion = completion;
    }

    @Incoming(Channels.JOB_LOGS_IN)
    public Uni<Void> onLogChunk(Message<String> message) {
        return IncomingEvents.handle(message, JobEvent.class, LOG, (eventId, event) -> {
            // the controller VM's console is its startup script's few lines; its own log stays on its VM
            if (ClusterRole.isController(event.jobId())) return Uni.createFrom().voidItem();
            if (event instanceof LogChunk chunk) return store.store(chunk);
            if (event instanceof JobExited exit) return completion.onExit(exit);
            LOG.warnf("job=%s skipped event %s of type %s: job-logs carries LogChunk and JobExited", event.jobId(),
                    eventId, event.getClass().getSimpleName());
            return Uni.createFrom().voidItem();
        });
    }
}

package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.jobapi.service.JobStatusProjection;
import io.crossjobs.jobapi.service.JobUpdates;
import io.crossjobs.service.messaging.IncomingEvents;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** job-status → the jobs read model and history. */
@ApplicationScoped
public class JobStatusConsumer {
    private static final Logger LOG = Logger.getLogger(JobStatusConsumer.class);

    private final IncomingEvents incoming;
    private final JobStatusProjection projection;
    private final JobUpdates updates;

    public JobStatusConsumer(IncomingEvents incoming, JobStatusProjection projection, JobUpdates updates) {
        this.incoming = incoming;
        this.projection = projection;
        this.updates = updates;
    }

    @Incoming(Channels.JOB_STATUS_IN)
    public Uni<Void> onStatusChanged(Message<String> message) {
        return incoming.handle(Channels.JOB_STATUS_IN, message, JobStatusChanged.class, (eventId, event) -> {
            if (event.to() == null) {
                LOG.warnf("job=%s status event %s has no target status, ignored", event.jobId(), eventId);
                return null;
            }
            // announced after the commit, and only once (a duplicate is not APPLIED)
            return projection.apply(eventId, event).invoke(result -> {
                if (result.applied()) updates.published(event, result.owner());
            });
        });
    }
}

package io.crossjobs.controller.messaging;

import io.crossjobs.controller.service.JobLifecycleService;
import io.crossjobs.events.Channels;
import io.crossjobs.events.ClusterFound;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.service.messaging.IncomingEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** provision-events: what the provisioners read from the clouds. */
@ApplicationScoped
public class ProvisionEventsConsumer {
    private final IncomingEvents incoming;
    private final JobLifecycleService lifecycle;

    public ProvisionEventsConsumer(IncomingEvents incoming, JobLifecycleService lifecycle) {
        this.incoming = incoming;
        this.lifecycle = lifecycle;
    }

    @Incoming(Channels.PROVISION_EVENTS_IN)
    public Uni<Void> consume(Message<String> message) {
        // the controller's own VMs: its keeper in job-api launched them and watches them; taken for a job here, a
        // ClusterFound of the VM this process runs on would be answered with TerminateCluster. Told by the key, so
        // even a record nobody can read is the keeper's to park, not this consumer's.
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> String.valueOf(m.getKey()))
                .orElse(null);
        if (key != null && ClusterRole.isController(key)) return Uni.createFrom().completionStage(message::ack);
        return incoming.handle(Channels.PROVISION_EVENTS_IN, message, JobEvent.class, this::dispatch);
    }

    private Uni<Void> dispatch(String eventId, JobEvent event) {
        if (ClusterRole.isController(event.jobId())) return null;
        if (event instanceof ClusterProgress progress) return lifecycle.onClusterProgress(eventId, progress);
        if (event instanceof JobExited exited) return lifecycle.onJobExited(eventId, exited);
        if (event instanceof ClusterPreempted preempted) return lifecycle.onClusterPreempted(eventId, preempted);
        if (event instanceof LaunchFailed failed) return lifecycle.onLaunchFailed(eventId, failed);
        if (event instanceof ClusterFound found) return lifecycle.onClusterFound(eventId, found);
        return null;
    }
}

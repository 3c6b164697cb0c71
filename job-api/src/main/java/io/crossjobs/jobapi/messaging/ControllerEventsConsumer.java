package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.Channels;
import io.crossjobs.events.CheckAccount;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.events.ControllerHeartbeat;
import io.crossjobs.events.JobEvent;
import io.crossjobs.jobapi.check.AccountChecks;
import io.crossjobs.jobapi.controller.ControllerKeeper;
import io.crossjobs.service.messaging.IncomingEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * What the controller keeper hears: the provisioners' events about the controller's own VMs (provision-events in a
 * consumer group of its own; jobs' events are skipped by their key before anything is decoded) and the controller's
 * heartbeats. The provisioners' answers to {@code crossjobs check} come on the same topic, keyed by their check id.
 */
@ApplicationScoped
public class ControllerEventsConsumer {
    private final IncomingEvents incoming;
    private final ControllerKeeper keeper;
    private final AccountChecks checks;

    public ControllerEventsConsumer(IncomingEvents incoming, ControllerKeeper keeper, AccountChecks checks) {
        this.incoming = incoming;
        this.keeper = keeper;
        this.checks = checks;
    }

    @Incoming(Channels.CONTROLLER_EVENTS_IN)
    public Uni<Void> onProvisionEvent(Message<String> message) {
        String key = message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> String.valueOf(m.getKey()))
                .orElse(null);
        if (CheckAccount.isCheckId(key)) {
            return incoming.handle(Channels.CONTROLLER_EVENTS_IN, message, AccountChecked.class,
                    (eventId, answer) -> checks.answered(answer));
        }
        boolean controllers = key == null || ClusterRole.isController(key);
        if (!controllers || !keeper.enabled()) return Uni.createFrom().completionStage(message.ack());
        return incoming.handle(Channels.CONTROLLER_EVENTS_IN, message, JobEvent.class,
                (eventId, event) -> keeper.onProvisionEvent(event));
    }

    @Incoming(Channels.CONTROLLER_HEARTBEATS_IN)
    public Uni<Void> onHeartbeat(Message<String> message) {
        if (!keeper.enabled()) return Uni.createFrom().completionStage(message.ack());
        return incoming.handle(Channels.CONTROLLER_HEARTBEATS_IN, message, ControllerHeartbeat.class,
                (eventId, heartbeat) -> keeper.onHeartbeat(heartbeat));
    }
}

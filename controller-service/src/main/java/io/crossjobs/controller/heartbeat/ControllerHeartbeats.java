package io.crossjobs.controller.heartbeat;

import io.crossjobs.controller.config.ControllerIdentityConfig;
import io.crossjobs.events.Channels;
import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.ControllerHeartbeat;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tells the controller's keeper (job-api) that this process is alive and whether it takes work: a
 * {@link ControllerHeartbeat} every {@code crossjobs.controller.heartbeat.interval}, keyed by the controller
 * identity. Sent straight to Kafka, not through the outbox: a lost heartbeat is made good by the next one, and a
 * heartbeat must never wait on the database or hold up a handler. A process without an identity sends nothing.
 */
@ApplicationScoped
public class ControllerHeartbeats {
    static final String SOURCE = "/crossjobs/controller";
    /** The channels whose consumers must exist before this controller takes work. */
    private static final List<String> INCOMING = List.of(Channels.JOB_REQUESTS_IN, Channels.PROVISION_EVENTS_IN);

    private final MutinyEmitter<String> emitter;
    private final Optional<ControllerIdentity> identity;
    private final PartitionAssignments partitions;
    private final KafkaClientService kafka;
    private final Clock clock;
    private final String process = ProcessHandle.current().pid() + "@" + hostName();
    private volatile Instant startedAt;

    // DROP: when Kafka cannot keep up, an old heartbeat is worth less than none
    public ControllerHeartbeats(@Channel(Channels.CONTROLLER_HEARTBEATS_OUT) @OnOverflow(OnOverflow.Strategy.DROP)
                                MutinyEmitter<String> emitter, ControllerIdentityConfig config,
                                @Identifier(PartitionAssignments.NAME) PartitionAssignments partitions,
                                KafkaClientService kafka, Clock clock) {
        this.emitter = emitter;
        this.identity = ControllerIdentity.of(config);
        this.partitions = partitions;
        this.kafka = kafka;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        startedAt = clock.instant();
        if (identity.isPresent()) {
            Log.infof("controller %s in process %s: heartbeats to its keeper on %s", identity.get(), process,
                    Channels.CONTROLLER_HEARTBEATS_OUT);
        } else {
            Log.infof("controller process %s has no identity (crossjobs.controller.identity.id is not set): no"
                    + " heartbeats, no keeper watches it", process);
        }
    }

    // not before startup completed: the emitter's channel is connected during startup
    @Scheduled(every = "${crossjobs.controller.heartbeat.interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        identity.ifPresent(this::publish);
    }

    /** Sends one heartbeat as {@code as}, now; returns at once (the send completes, or fails, in the background). */
    public void publish(ControllerIdentity as) {
        ControllerHeartbeat beat = heartbeat(as, clock.instant());
        try {
            emitter.sendMessage(CloudEventMessages.wrap(SOURCE, beat)).subscribe().with(
                    ignored -> Log.tracef("heartbeat sent: %s", beat),
                    failure -> Log.debugf("heartbeat of %s not delivered, the next one follows: %s", as.id(),
                            failure.toString()));
        } catch (RuntimeException e) {
            // the emitter refuses while its channel is not connected: the next tick sends again
            Log.debugf("heartbeat of %s not sent: %s", as.id(), e.toString());
        }
    }

    ControllerHeartbeat heartbeat(ControllerIdentity as, Instant now) {
        Instant started = startedAt;
        boolean ready = started != null && INCOMING.stream().allMatch(this::consumersExist);
        return ControllerHeartbeat.of(as.id()).generation(as.generation()).clusterName(as.cluster()).process(process)
                .ready(ready).assignedPartitions(partitions.count()).startedAt(started).at(now).build();
    }

    /** With {@code concurrency}, a channel's consumers are registered as {@code <channel>$1}, {@code $2}, .... */
    private boolean consumersExist(String channel) {
        return kafka.getConsumerChannels().stream().anyMatch(c -> c.equals(channel) || c.startsWith(channel + "$"));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}

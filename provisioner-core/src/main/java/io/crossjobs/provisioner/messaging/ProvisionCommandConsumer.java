package io.crossjobs.provisioner.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.MalformedEventException;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.provisioner.service.ClusterCommands;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Consumes the controller's commands for this cloud. Each command is carried out on a worker thread (cloud
 * SDK calls block), its answer published, and the record acknowledged only once Kafka has the answer; so a
 * crash in between replays the command, which launch and terminate tolerate.
 */
@ApplicationScoped
public class ProvisionCommandConsumer {
    private static final Logger LOG = Logger.getLogger(ProvisionCommandConsumer.class);

    private final ClusterCommands commands;
    private final ProvisionEventPublisher publisher;

    public ProvisionCommandConsumer(ClusterCommands commands, ProvisionEventPublisher publisher) {
        this.commands = commands;
        this.publisher = publisher;
    }

    @Incoming(Channels.PROVISION_COMMANDS_IN)
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> record) {
        JobEvent command;
        try {
            command = CloudEventMessages.unwrap(record);
        } catch (MalformedEventException e) {
            LOG.warnf("skipping a malformed command record: %s", e.getMessage());
            return record.ack();
        }
        Optional<JobEvent> answer;
        if (command instanceof LaunchCluster launch) {
            answer = Optional.of(commands.launch(launch));
        } else if (command instanceof TerminateCluster terminate) {
            answer = commands.terminate(terminate);
        } else {
            LOG.warnf("job=%s skipping %s: not a provisioner command", command.jobId(),
                    command.getClass().getSimpleName());
            return record.ack();
        }
        if (answer.isEmpty()) return record.ack();
        return publisher.publish(answer.get())
                .thenCompose(acked -> record.ack())
                .exceptionallyCompose(failure -> record.nack(failure));
    }
}

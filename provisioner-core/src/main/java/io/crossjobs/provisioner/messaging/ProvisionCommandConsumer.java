package io.crossjobs.provisioner.messaging;

import io.crossjobs.events.Channels;
import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.CheckAccount;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.MalformedEventException;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.provisioner.config.ProvisionerConfig;
import io.crossjobs.provisioner.service.ClusterCommands;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes the controller's commands for this cloud. Each command is carried out on the command pool (cloud SDK
 * calls block; up to {@code crossjobs.provisioner.command-threads} at once, one job's commands in their order), its
 * answer published, and the record acknowledged only once Kafka has the answer; so a crash in between replays the
 * command, which launch and terminate tolerate. The throttled commit strategy commits an offset only when every
 * record before it was acknowledged, so commands finishing out of order lose nothing. An answer Kafka does not take
 * is sent again, with a growing wait, until it does: the command was carried out, and a Kafka outage is nobody's
 * bug, so it neither parks the command nor fails its job. A command that cannot be read or carried out is parked.
 */
@ApplicationScoped
public class ProvisionCommandConsumer {
    private static final Logger LOG = Logger.getLogger(ProvisionCommandConsumer.class);

    private final ClusterCommands commands;
    private final JobOrderedExecutor pool;
    private final AnswerSender answers;
    private volatile boolean stopping;

    public ProvisionCommandConsumer(ClusterCommands commands, ProvisionEventPublisher publisher,
                                    ProvisionerConfig config) {
        this.commands = commands;
        this.pool = new JobOrderedExecutor("cloud-command", config.commandThreads(), 4 * config.commandThreads());
        this.answers = new AnswerSender(publisher::publish, AnswerSender.Backoff.DEFAULT, () -> stopping);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        try {
            pool.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands the command to the pool and returns; the record is acknowledged when the command is done. */
    @Incoming(Channels.PROVISION_COMMANDS_IN)
    @Blocking
    public CompletionStage<Void> onCommand(Message<String> record) throws InterruptedException {
        JobEvent command;
        try {
            command = CloudEventMessages.unwrap(record);
        } catch (MalformedEventException e) {
            // parked by the channel's failure strategy (dead-letter-queue), with this reason; the next record goes on
            LOG.errorf("parking an unreadable command record: %s", e.getMessage());
            return record.nack(new IllegalArgumentException("unreadable command record: " + e.getMessage(), e));
        }
        pool.submit(command.jobId(), () -> {
            try {
                return carryOut(command, record);
            } catch (RuntimeException e) {
                return failed(record, e);
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> carryOut(JobEvent command, Message<String> record) {
        Optional<JobEvent> answer;
        if (command instanceof LaunchCluster launch) {
            answer = Optional.of(commands.launch(launch));
        } else if (command instanceof TerminateCluster terminate) {
            answer = commands.terminate(terminate);
        } else if (command instanceof CheckAccount check) {
            answer = Optional.of(commands.checkAccount(check));
        } else {
            LOG.warnf("job=%s skipping %s: not a provisioner command", command.jobId(),
                    command.getClass().getSimpleName());
            return record.ack();
        }
        if (answer.isEmpty()) return record.ack();
        return answers.send(command, answer.get())
                .thenCompose(taken -> record.ack())
                .exceptionallyCompose(failure -> failed(record, failure));
    }

    /**
     * Parked (the channel's dead-letter queue), unless the provisioner is shutting down: then the failure is the
     * shutdown's doing, and the record is left unacknowledged for after the restart.
     */
    private CompletionStage<Void> failed(Message<String> record, Throwable failure) {
        if (!stopping) return record.nack(failure);
        LOG.infof("a command that failed during shutdown is left for after the restart: %s", failure.toString());
        return new CompletableFuture<>();
    }
}

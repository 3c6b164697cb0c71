package io.crossjobs.controller.messaging;

import io.crossjobs.controller.service.JobLifecycleService;
import io.crossjobs.events.Channels;
import io.crossjobs.events.CheckAccount;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.service.messaging.HandlerRetry;
import io.crossjobs.service.messaging.MessagingConfig;
import io.crossjobs.service.messaging.ParkedRecord;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * parked-events, in a group of the controller's own: a job whose event any service parked fails as
 * FAILED_CONTROLLER and its cluster is terminated ({@link JobLifecycleService#onEventParked}). What is parked
 * stays listed in job-api, so a failure here is logged and the record acked: nothing is lost with it.
 */
@ApplicationScoped
public class ParkedEventsConsumer {
    private final JobLifecycleService lifecycle;
    private final HandlerRetry retry;

    public ParkedEventsConsumer(JobLifecycleService lifecycle, MessagingConfig config) {
        this.lifecycle = lifecycle;
        this.retry = new HandlerRetry(config.retry());
    }

    @Incoming(Channels.PARKED_IN)
    public Uni<Void> onParked(Message<String> message) {
        ParkedRecord parked = ParkedRecord.of(message);
        if (parked == null || parked.key() == null || ClusterRole.isController(parked.key())
                || CheckAccount.isCheckId(parked.key())) {
            return Uni.createFrom().completionStage(message::ack);
        }
        Log.warnf("job=%s an event from %s was parked (%s): %s", parked.key(), parked.origin(), parked.id(),
                parked.reason());
        return retry.run(() -> lifecycle.onEventParked(parked))
                .onFailure().invoke(f -> Log.errorf(f, "job=%s failing the job of parked %s failed", parked.key(),
                        parked.id()))
                .onFailure().recoverWithNull()
                .chain(() -> Uni.createFrom().completionStage(message::ack));
    }
}

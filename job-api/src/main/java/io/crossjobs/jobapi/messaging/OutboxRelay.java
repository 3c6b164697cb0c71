package io.crossjobs.jobapi.messaging;

import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.EventType;
import io.crossjobs.jobapi.config.JobApiConfig;
import io.crossjobs.jobapi.model.OutboxEntry;
import io.crossjobs.jobapi.repository.OutboxRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox rows in id order, at least once: to job-requests, or to the topic a row names (the controller
 * keeper's commands to provision-commands.&lt;cloud&gt;). A batch is sent without waiting
 * between records (the idempotent producer keeps their order per partition), then the rows up to the
 * first unacknowledged one are marked published; the rest are sent again on the next round under the same
 * CloudEvents ids, which consumers deduplicate. Runs right after a commit ({@link #trigger()}) and on a
 * timer, so rows left behind while Kafka was down (or before a restart) go out once it is back.
 *
 * <p>One relay per process. Several job-api replicas would each publish the same rows (harmless, by the
 * ids) but could interleave two rows of one job: scaling out needs a leader or a lock first.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final OutboxSender sender;
    private final JobApiConfig config;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();

    public OutboxRelay(OutboxRepository outbox, OutboxSender sender, JobApiConfig config) {
        this.outbox = outbox;
        this.sender = sender;
        this.config = config;
    }

    // not before startup completed: the emitter's channel is connected during startup
    @Scheduled(every = "${jobapi.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        trigger();
    }

    /** Makes the relay run soon; cheap and safe to call from any thread, as often as wanted. */
    public void trigger() {
        requested.set(true);
        if (!running.compareAndSet(false, true)) return; // the running round sees the request
        drain().subscribe().with(this::finish, failure -> {
            LOG.errorf(failure, "outbox relay round failed; retrying on the next tick");
            finish(true);
        });
    }

    private void finish(boolean stoppedByFailure) {
        running.set(false);
        // a trigger that arrived while this round was ending must not wait for the next tick
        if (!stoppedByFailure && requested.get()) trigger();
    }

    /** Publishes batches until the outbox is empty or a send fails; emits whether a failure stopped it. */
    private Uni<Boolean> drain() {
        requested.set(false);
        return publishBatch().chain(batch -> {
            if (batch.failed()) return Uni.createFrom().item(true);
            if (batch.full() || requested.get()) return drain();
            return Uni.createFrom().item(false);
        });
    }

    private Uni<Batch> publishBatch() {
        int size = config.outbox().batchSize();
        return outbox.unpublished(size).chain(rows -> {
            if (rows.isEmpty()) return Uni.createFrom().item(new Batch(false, false));
            return sendInOrder(rows).chain(acked -> {
                boolean failed = acked.size() < rows.size();
                if (acked.isEmpty()) return Uni.createFrom().item(new Batch(false, true));
                return outbox.markPublished(acked, Instant.now())
                        .map(marked -> new Batch(!failed && rows.size() == size, failed));
            });
        });
    }

    /** Sends all rows, waits for every ack, and returns the ids of the acknowledged prefix. */
    private Uni<List<Long>> sendInOrder(List<OutboxEntry> rows) {
        List<Uni<Boolean>> sends = new ArrayList<>(rows.size());
        for (OutboxEntry row : rows) sends.add(send(row));
        return Uni.join().all(sends).andFailFast()
                .ifNoItem().after(config.outbox().sendTimeout()).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("outbox relay: no acks for %d records within %s", rows.size(),
                            config.outbox().sendTimeout());
                    return rows.stream().map(r -> false).toList();
                })
                .map(acks -> {
                    List<Long> prefix = new ArrayList<>();
                    for (int i = 0; i < rows.size() && acks.get(i); i++) prefix.add(rows.get(i).id);
                    return prefix;
                });
    }

    private Uni<Boolean> send(OutboxEntry row) {
        EventType type = EventType.ofCeType(row.eventType)
                .orElseThrow(() -> new IllegalStateException("outbox row " + row.id + " has unknown type " + row.eventType));
        Message<String> message = CloudEventMessages.wrap(row.eventId.toString(), config.eventSource(), type,
                row.jobId, row.payload, row.createdAt, row.topic);
        return sender.send(message)
                .map(ok -> {
                    LOG.debugf("job=%s published %s event=%s", row.jobId, row.eventType, row.eventId);
                    return true;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("job=%s publishing %s event=%s failed: %s; will retry", row.jobId, row.eventType,
                            row.eventId, failure.toString());
                    return false;
                });
    }

    private record Batch(boolean full, boolean failed) { }
}

package io.crossjobs.controller.messaging;

import io.crossjobs.controller.config.ControllerConfig;
import io.crossjobs.controller.repository.OutboxEntity;
import io.crossjobs.controller.repository.OutboxRepository;
import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.EventType;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes outbox rows to Kafka in id order, in batches: send a batch, wait for every ack, then mark it
 * published. A crash between the two re-sends the batch with the same CloudEvents ids, which consumers
 * skip. One drain runs at a time (per-job order depends on it), also across controller processes (a lease, see
 * {@link #publishBatch}); a trigger during a drain makes it go on.
 * Triggered after each handler commit and by a scheduler tick.
 */
@ApplicationScoped
public class OutboxRelay {
    public static final String CHANNEL = "controller-out";
    static final String SOURCE = "/crossjobs/controller";

    private final MutinyEmitter<String> emitter;
    private final OutboxRepository outbox;
    private final Clock clock;
    private final int batchSize;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean stopping;

    public OutboxRelay(@Channel(CHANNEL) MutinyEmitter<String> emitter, OutboxRepository outbox, Clock clock,
                       ControllerConfig config) {
        this.emitter = emitter;
        this.outbox = outbox;
        this.clock = clock;
        this.batchSize = config.outbox().batchSize();
    }

    /** Publishes whatever is pending, soon, on an event loop; returns at once. */
    public void trigger() {
        if (stopping) return;
        requested.set(true);
        if (draining.compareAndSet(false, true)) startDrain();
    }

    // not before startup completed: the emitter's channel is connected during startup
    @Scheduled(every = "${crossjobs.controller.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        trigger();
    }

    /** What is not published now is published by the next start: rows stay until acked. */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void startDrain() {
        drain().subscribe().with(
                ignored -> {
                    draining.set(false);
                    // a trigger that came after the last empty read must not wait for the next tick
                    if (requested.get() && draining.compareAndSet(false, true)) startDrain();
                },
                failure -> {
                    if (!stopping) Log.warnf("outbox: publishing failed, the next tick retries: %s", failure.toString());
                    requested.set(false);
                    draining.set(false);
                });
    }

    private Uni<Void> drain() {
        requested.set(false);
        return publishBatch().chain(sent -> sent == batchSize || requested.get() ? drain() : Uni.createFrom().voidItem());
    }

    /**
     * One batch in one transaction that holds the relay lease: a transaction-scoped PostgreSQL advisory lock, so
     * with two controller processes only one publishes at a time and per-job order holds (row locks with
     * {@code skip locked} would let the second process publish a job's later event before the first one's
     * earlier one). The process that does not get the lease publishes nothing this round.
     */
    private Uni<Integer> publishBatch() {
        return outbox.inTransaction(conn -> outbox.tryRelayLease(conn).chain(leased -> {
            if (!leased) {
                Log.debug("outbox: another controller holds the relay lease; nothing to do here");
                return Uni.createFrom().item(0);
            }
            return outbox.nextBatch(conn, batchSize).chain(rows -> {
                if (rows.isEmpty()) return Uni.createFrom().item(0);
                List<Uni<Void>> sends = rows.stream().map(r -> emitter.sendMessage(toMessage(r))).toList();
                List<Long> ids = rows.stream().map(r -> r.id).toList();
                return Uni.join().all(sends).andFailFast()
                        .chain(() -> outbox.markPublished(conn, ids, clock.instant()))
                        .invoke(() -> Log.debugf("outbox: published %d events", rows.size()))
                        .replaceWith(rows.size());
            });
        }));
    }

    private static Message<String> toMessage(OutboxEntity row) {
        EventType type = EventType.ofCeType(row.eventType)
                .orElseThrow(() -> new IllegalStateException("outbox row " + row.id + " has unknown type " + row.eventType));
        return CloudEventMessages.wrap(row.eventId, SOURCE, type, row.jobId, row.payload, row.createdAt, row.topic);
    }
}

package io.crossjobs.service.messaging;

import io.crossjobs.events.CloudEventMessages;
import io.crossjobs.events.EventType;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes outbox rows in id order, at least once. A batch is sent without waiting between records (the
 * idempotent producer keeps their order per partition), every ack is awaited, then the rows up to the first
 * unacknowledged one are marked published; the rest go again next round under the same CloudEvents ids, which
 * consumers skip. Runs right after a commit ({@link #trigger()}, {@link EventHandled}) and on a timer, so rows left
 * while Kafka was down, or before a restart, go out once it is back.
 *
 * <p>Each batch runs in one transaction holding the relay lease, a transaction-scoped PostgreSQL advisory lock: with
 * several replicas one publishes at a time and per-job order holds (row locks with {@code skip locked} would let a
 * second process publish a job's later event before the first one's earlier one).
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final String NEXT_BATCH = """
            select id, event_id, event_type, job_id, topic, payload, created_at from outbox
            where published_at is null order by id limit $1""";
    private static final String MARK_PUBLISHED =
            "update outbox set published_at = $1 where id = any($2) and published_at is null";

    private final Pool pool;
    private final OutboxSender sender;
    private final MessagingConfig config;
    private final Clock clock;
    /** One lock key per service, so services sharing a database do not wait for each other. */
    private final long leaseKey;
    private final Rounds rounds;

    public OutboxRelay(Pool pool, OutboxSender sender, MessagingConfig config, Clock clock) {
        this.pool = pool;
        this.sender = sender;
        this.config = config;
        this.clock = clock;
        this.leaseKey = 0x6f7574626f780000L ^ config.source().hashCode();   // "outbox" and the source
        this.rounds = new Rounds(() -> pool.withTransaction(this::publishBatch).map(Batch::next),
                failure -> LOG.warnf("outbox: publishing failed, the next tick retries: %s", failure.toString()));
    }

    // not before startup completed: the sender's channel is connected during startup
    @Scheduled(every = "${crossjobs.messaging.outbox.interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        trigger();
    }

    void afterHandled(@Observes EventHandled handled) {
        trigger();
    }

    /** What is not published now is published by the next start: rows stay until acked. */
    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** Makes the relay run soon; cheap and safe to call from any thread, as often as wanted. */
    public void trigger() {
        rounds.request();
    }

    private Uni<Batch> publishBatch(SqlConnection conn) {
        int size = config.outbox().batchSize();
        return conn.preparedQuery("select pg_try_advisory_xact_lock($1)").execute(Tuple.of(leaseKey))
                .chain(lease -> {
                    if (!lease.iterator().next().getBoolean(0)) {
                        LOG.debug("outbox: another process holds the relay lease; nothing to do here");
                        return Uni.createFrom().item(Batch.NOTHING);
                    }
                    return conn.preparedQuery(NEXT_BATCH).execute(Tuple.of(size)).chain(rows -> {
                        List<Stored> batch = new ArrayList<>(rows.size());
                        for (Row r : rows) batch.add(Stored.of(r));
                        if (batch.isEmpty()) return Uni.createFrom().item(Batch.NOTHING);
                        return sendInOrder(batch).chain(acked -> {
                            boolean failed = acked.size() < batch.size();
                            if (acked.isEmpty()) return Uni.createFrom().item(new Batch(false, true));
                            return conn.preparedQuery(MARK_PUBLISHED)
                                    .execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC),
                                            acked.toArray(Long[]::new)))
                                    .map(marked -> new Batch(!failed && batch.size() == size, failed));
                        });
                    });
                });
    }

    /** Sends all rows, waits for every ack, and returns the ids of the acknowledged prefix. */
    private Uni<List<Long>> sendInOrder(List<Stored> rows) {
        List<Uni<Boolean>> sends = new ArrayList<>(rows.size());
        for (Stored row : rows) sends.add(send(row));
        return Uni.join().all(sends).andFailFast()
                .ifNoItem().after(config.outbox().sendTimeout()).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("outbox: no acks for %d records within %s", rows.size(), config.outbox().sendTimeout());
                    return rows.stream().map(r -> false).toList();
                })
                .map(acks -> {
                    List<Long> prefix = new ArrayList<>();
                    for (int i = 0; i < rows.size() && acks.get(i); i++) prefix.add(rows.get(i).id());
                    return prefix;
                });
    }

    private Uni<Boolean> send(Stored row) {
        EventType type = EventType.ofCeType(row.outbox().eventType()).orElseThrow(() -> new IllegalStateException(
                "outbox row " + row.id() + " has unknown type " + row.outbox().eventType()));
        Outbox.Row r = row.outbox();
        Message<String> message = CloudEventMessages.wrap(r.eventId(), config.source(), type, r.jobId(), r.payload(),
                r.createdAt(), r.topic());
        return sender.send(message)
                .map(ok -> {
                    LOG.debugf("job=%s published %s event=%s", r.jobId(), r.eventType(), r.eventId());
                    return true;
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!rounds.stopped()) {
                        LOG.warnf("job=%s publishing %s event=%s failed: %s; will retry", r.jobId(), r.eventType(),
                                r.eventId(), failure.toString());
                    }
                    return false;
                });
    }

    private record Stored(long id, Outbox.Row outbox) {
        static Stored of(Row r) {
            return new Stored(r.getLong("id"), new Outbox.Row(r.getString("event_id"), r.getString("event_type"),
                    r.getString("job_id"), r.getString("topic"), r.getString("payload"),
                    r.getOffsetDateTime("created_at").toInstant()));
        }
    }

    private record Batch(boolean full, boolean failed) {
        static final Batch NOTHING = new Batch(false, false);

        Rounds.Next next() {
            return failed ? Rounds.Next.WAIT : full ? Rounds.Next.AGAIN : Rounds.Next.DONE;
        }
    }
}

package io.crossjobs.jobapi.output;

import io.crossjobs.events.JobExited;
import io.crossjobs.events.OutputStored;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.service.JobIds;
import io.crossjobs.service.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tells the controller when an attempt's output is stored, so that it makes the job's terminal status visible only
 * then. The provisioner puts the attempt's JobExited on job-logs behind the chunks it ends, and this service reads
 * job-logs in order, so by the time the exit is handled its chunks have been stored; the check against the ends it
 * announces catches a chunk that was lost on the way (then nothing is sent, and the controller ends the job when its
 * wait is over, saying the output may be incomplete; a provisioner that sends the chunks and the exit again is heard).
 * The check and the {@link OutputStored} outbox row are one transaction. A job whose output reached its cap
 * ({@code jobapi.limits.log-max-bytes}) has all of it stored that ever will be: its exit is announced without the check.
 */
@ApplicationScoped
public class OutputCompletion {
    private static final Logger LOG = Logger.getLogger(OutputCompletion.class);

    private final Pool pool;
    private final Clock clock = Clock.systemUTC();

    public OutputCompletion(Pool pool) {
        this.pool = pool;
    }

    /** Emits whether OutputStored was written to the outbox. */
    public Uni<Boolean> onExit(JobExited exit) {
        Optional<Long> id = JobIds.parse(exit.jobId());
        if (id.isEmpty() || !exit.announcesOutput()) return Uni.createFrom().item(false);
        return pool.withTransaction(c -> StoredOutputs.jobLog(c, id.get()).chain(log -> {
            if (log == StoredOutputs.JobLog.UNKNOWN_JOB) return Uni.createFrom().item(false);
            return StoredOutputs.spans(c, id.get(), exit.attempt()).chain(spans -> {
                // a capped job's output is all stored that ever will be: waiting for the rest would only delay its end
                List<OutputCoverage.Shortfall> missing = log == StoredOutputs.JobLog.CAPPED ? List.of()
                        : OutputCoverage.shortfalls(exit.outputEnds(), spans);
                if (!missing.isEmpty()) {
                    LOG.warnf("job=%s attempt=%d exited but its output is not all stored: %s; the controller ends"
                            + " the job when its wait is over", exit.jobId(), exit.attempt(), missing);
                    return Uni.createFrom().item(false);
                }
                Instant now = clock.instant();
                return Outbox.insert(c, new OutputStored(exit.jobId(), exit.attempt(), now), Topics.JOB_REQUESTS,
                        now).replaceWith(true);
            });
        })).invoke(sent -> {
            // the relay is woken after the commit by the consumer's EventHandled, as for every handled event
            if (sent) {
                LOG.debugf("job=%s attempt=%d output stored to its ends %s", exit.jobId(), exit.attempt(),
                        exit.outputEnds());
            }
        });
    }
}

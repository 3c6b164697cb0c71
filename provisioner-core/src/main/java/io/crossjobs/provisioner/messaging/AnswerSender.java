package io.crossjobs.provisioner.messaging;

import io.crossjobs.events.JobEvent;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Sends a carried-out command's answer until Kafka takes it, waiting longer after each refusal: the cloud already
 * did what the command asked, and a Kafka outage is nobody's bug, so it must neither park the command nor fail its
 * job. Only a stopping provisioner gives up (the command is then carried out again after the restart).
 */
final class AnswerSender {
    private static final Logger LOG = Logger.getLogger(AnswerSender.class);

    /** The wait before an answer is sent again: {@code first}, doubled after each refusal up to {@code max}. */
    record Backoff(Duration first, Duration max) {
        static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

        Duration after(Duration wait) {
            Duration doubled = wait.multipliedBy(2);
            return doubled.compareTo(max) > 0 ? max : doubled;
        }
    }

    private final Function<JobEvent, CompletionStage<Void>> publish;
    private final Backoff backoff;
    private final BooleanSupplier stopping;

    AnswerSender(Function<JobEvent, CompletionStage<Void>> publish, Backoff backoff, BooleanSupplier stopping) {
        this.publish = publish;
        this.backoff = backoff;
        this.stopping = stopping;
    }

    /** Completes once Kafka acknowledged {@code answer}; fails only when the provisioner stops first. */
    CompletionStage<Void> send(JobEvent command, JobEvent answer) {
        return send(command, answer, backoff.first());
    }

    private CompletionStage<Void> send(JobEvent command, JobEvent answer, Duration wait) {
        return publish.apply(answer).exceptionallyCompose(refusal -> {
            if (stopping.getAsBoolean()) return CompletableFuture.failedFuture(refusal);
            LOG.warnf("job=%s the answer to %s was not taken by Kafka (%s); sending it again in %d ms",
                    command.jobId(), command.getClass().getSimpleName(), refusal, wait.toMillis());
            return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS))
                    .thenCompose(waited -> send(command, answer, backoff.after(wait)));
        });
    }
}

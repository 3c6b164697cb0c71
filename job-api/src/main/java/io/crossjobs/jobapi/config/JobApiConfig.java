package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "jobapi")
public interface JobApiConfig {

    /** CloudEvents {@code source} of everything job-api publishes. */
    @WithDefault("/crossjobs/job-api")
    String eventSource();

    /** Largest submission body accepted (bytes); a larger one is answered 413. */
    @WithDefault("1048576")
    int maxBodySize();

    /** How often {@code GET /jobs/{id}/logs?follow=true} looks for new output. */
    @WithDefault("500ms")
    Duration logFollowInterval();

    /**
     * How long after a job's end {@code follow=true} still waits for output: a terminal status waits for the output
     * to be stored, but output the controller stopped waiting for, or a worker's lines after the head node exited,
     * can be stored after it.
     */
    @WithDefault("3s")
    Duration logSettleTime();

    Outbox outbox();

    /**
     * Most submissions stored in one transaction. Submissions that arrive while one batch is being written are
     * stored together in the next, so this only bounds a batch under heavy load; alone, a submission waits for none.
     */
    @WithDefault("500")
    int submitBatchSize();

    Retention retention();

    /** How long bookkeeping rows are kept; jobs, their history and logs are never purged. */
    interface Retention {
        /** Published outbox rows: only kept to look into what was sent. */
        @WithDefault("24h")
        Duration outbox();

        /**
         * Ids of applied events. Longer than Kafka's default topic retention (7 days), so any event Kafka can
         * still deliver again finds its id and is ignored.
         */
        @WithDefault("8d")
        Duration inbox();

        /** {@code crossjobs check} answers: a check is looked at once, right after it is asked. */
        @WithDefault("7d")
        Duration checks();
    }

    interface Outbox {
        /** Rows read and sent per round; keep it below the emitter's buffer (1024). */
        @WithDefault("500")
        int batchSize();

        /**
         * How often the relay looks for rows a commit-time trigger did not publish (Kafka was down, or the
         * process stopped first). The Quarkus scheduler's resolution is one second.
         */
        @WithDefault("1s")
        Duration pollInterval();

        /** Upper bound on waiting for one batch's acks; longer than the producer's delivery timeout (2 min). */
        @WithDefault("3m")
        Duration sendTimeout();
    }
}

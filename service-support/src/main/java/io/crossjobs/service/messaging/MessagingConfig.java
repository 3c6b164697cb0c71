package io.crossjobs.service.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The event plumbing's settings, the same names in every service that has an outbox and an inbox. */
@ConfigMapping(prefix = "crossjobs.messaging")
public interface MessagingConfig {
    /** The CloudEvents {@code source} of what this service publishes, e.g. {@code /crossjobs/job-api}. */
    String source();

    Outbox outbox();

    Retry retry();

    Retention retention();

    interface Outbox {
        /** Rows read and sent per round; below the outbox channel's emitter buffer. */
        @WithDefault("100")
        int batchSize();

        /**
         * How often the relay looks for rows no commit triggered it for (Kafka was down, or the process stopped
         * first). Read by the scheduler as {@code ${crossjobs.messaging.outbox.interval}}; its resolution is 1 s.
         */
        @WithDefault("1s")
        String interval();

        /** Upper bound on waiting for one batch's acks; longer than the producer's delivery timeout (2 min). */
        @WithDefault("3m")
        Duration sendTimeout();
    }

    /** How often a failing handler is tried again before its event is parked; see {@link HandlerRetry}. */
    interface Retry {
        @WithDefault("3")
        int attempts();

        @WithDefault("100ms")
        Duration firstBackoff();

        @WithDefault("2s")
        Duration maxBackoff();
    }

    /** How long bookkeeping rows are kept. */
    interface Retention {
        /** Published outbox rows: only kept to look into what was sent. */
        @WithDefault("24h")
        Duration outbox();

        /**
         * Ids of handled events. Longer than Kafka's default topic retention (7 days), so any event Kafka can still
         * deliver again finds its id and is ignored.
         */
        @WithDefault("8d")
        Duration inbox();
    }
}

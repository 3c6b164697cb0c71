package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "jobapi")
public interface JobApiConfig {

    /** CloudEvents {@code source} of everything job-api publishes. */
    @WithDefault("/crossjobs/job-api")
    String eventSource();

    Outbox outbox();

    interface Outbox {
        /** Rows read and sent per round; keep it below the emitter's buffer (256). */
        @WithDefault("100")
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

package io.crossjobs.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

@ConfigMapping(prefix = "crossjobs.controller")
public interface ControllerConfig {

    /** Launches of one job that may fail in a row (each elsewhere) before it is FAILED_NO_RESOURCE. */
    @WithDefault("5")
    int maxLaunchAttempts();

    /** Price catalog CSV files on the class path, one per cloud. */
    @WithDefault("catalog/aws.csv")
    List<String> catalogFiles();

    Outbox outbox();

    interface Outbox {
        /** Rows published per round trip to Kafka. */
        @WithDefault("100")
        int batchSize();

        /**
         * How often the relay looks for rows nobody triggered it for (after a crash or a failed send).
         * Read by the scheduler as {@code ${crossjobs.controller.outbox.interval}}.
         */
        @WithDefault("1s")
        String interval();

        /** Published rows are deleted after this long. */
        @WithDefault("24h")
        Duration retention();
    }
}

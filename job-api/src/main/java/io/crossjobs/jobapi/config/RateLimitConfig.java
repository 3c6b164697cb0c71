package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** A token bucket per API token: {@code burst} calls at once, refilled at {@code requests-per-second}. */
@ConfigMapping(prefix = "jobapi.rate-limit")
public interface RateLimitConfig {

    @WithDefault("true")
    boolean enabled();

    @WithDefault("20")
    double requestsPerSecond();

    @WithDefault("40")
    int burst();
}

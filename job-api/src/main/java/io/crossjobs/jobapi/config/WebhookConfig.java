package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "jobapi.webhooks")
public interface WebhookConfig {

    /** How often the deliveries table is scanned for due rows. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Wait before the first retry; doubled after each failed attempt, up to {@link #maxBackoff()}. */
    @WithDefault("5s")
    Duration initialBackoff();

    @WithDefault("10m")
    Duration maxBackoff();

    /** Attempts before a delivery is given up (state FAILED). */
    @WithDefault("10")
    int maxAttempts();

    @WithDefault("10s")
    Duration timeout();

    /** Whether URLs may name loopback, private or link-local addresses (literal IPs and "localhost"). */
    @WithDefault("false")
    boolean allowPrivateHosts();
}

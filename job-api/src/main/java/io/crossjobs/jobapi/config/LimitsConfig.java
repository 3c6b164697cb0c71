package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Caps that keep one user from crowding out the others (per-user quotas of jobs and resources: {@code QuotaConfig}).
 * The streams and webhooks caps do not apply to admin tokens, as the rate limit does not; the log cap applies to every
 * job.
 */
@ConfigMapping(prefix = "jobapi.limits")
public interface LimitsConfig {

    /**
     * Live streams ({@code GET /jobs/stream}) and log follows ({@code GET /jobs/{id}/logs?follow=true}) one token may
     * hold open at once, in one job-api; another is 429 until one closes.
     */
    @WithDefault("8")
    int streamsPerToken();

    /** Webhooks one user may have registered (deleted ones do not count); another is 409. */
    @WithDefault("20")
    int webhooksPerUser();

    /**
     * Bytes of output stored per job, every node and attempt together (UTF-8). A chunk that would go over is not
     * stored: the job keeps the start of its output and its logs end with a line saying where the rest was cut.
     */
    @WithDefault("33554432")
    long logMaxBytes();
}

package io.crossjobs.mockcloud.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code mock-cloud.api-limits.*}: whether each cloud's documented request limits are enforced. On by default,
 * as the clouds enforce them; turn one off only to measure what the limits cost.
 */
@ConfigMapping(prefix = "mock-cloud.api-limits")
public interface ApiLimitsConfig {

    @WithDefault("true")
    boolean aws();

    @WithDefault("true")
    boolean gcp();

    @WithDefault("true")
    boolean azure();
}

package io.crossjobs.mockcloud.quotas;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code mock-cloud.quotas.*}: whether each cloud's vCPU and GPU quotas refuse launches (on by default, as the
 * clouds refuse them), and the mock account's limits where they differ from its defaults.
 */
@ConfigMapping(prefix = "mock-cloud.quotas")
public interface QuotasConfig {

    @WithDefault("true")
    boolean aws();

    @WithDefault("true")
    boolean gcp();

    @WithDefault("true")
    boolean azure();

    /** {@code cloud/region/metric=limit} entries; region {@code *} for every region, {@code global} for GCE's. */
    Optional<List<String>> limits();
}

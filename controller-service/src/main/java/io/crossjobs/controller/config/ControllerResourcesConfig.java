package io.crossjobs.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Where the controller itself runs, as SkyPilot's {@code jobs.controller.resources} (overridable per start with
 * {@code -Djobs.controller.resources.cloud=gcp} or {@code JOBS_CONTROLLER_RESOURCES_CLOUD}). Only the first start
 * of a controller applies it; later starts report a difference and keep the recorded placement.
 */
@ConfigMapping(prefix = "jobs.controller.resources")
public interface ControllerResourcesConfig {
    @WithDefault("aws")
    String cloud();

    @WithDefault("us-east-1")
    String region();

    @WithDefault("4+")
    String cpus();

    /** Default: 4 GiB per vCPU of {@code cpus} (SkyPilot's controller ratio), e.g. {@code 16+}. */
    Optional<String> memory();
}

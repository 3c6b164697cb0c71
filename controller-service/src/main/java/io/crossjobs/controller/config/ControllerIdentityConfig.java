package io.crossjobs.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Which controller VM this process is, as its keeper (job-api) launched it and hands it over in the bootstrap
 * settings. Without an id (tests, a process started by hand) the process has no identity and sends no heartbeats.
 */
@ConfigMapping(prefix = "crossjobs.controller.identity")
public interface ControllerIdentityConfig {

    /** The controller identity, {@code controller-...}: the key of its heartbeats and of its VMs' events. */
    Optional<String> id();

    /** Which launch of that controller this is; the keeper counts up on every relaunch or migration. */
    @WithDefault("0")
    int generation();

    /** The cluster (VM) the keeper launched this process on. */
    Optional<String> cluster();
}

package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

@ConfigMapping(prefix = "jobapi.auth")
public interface AuthConfig {

    /** The first admin's token (the launcher passes one). Unset: one is generated at each start. */
    Optional<String> bootstrapAdminToken();

    /** Where a generated bootstrap token is written (owner-only permissions); never logged. */
    Optional<String> bootstrapTokenFile();

    /** The user name the bootstrap token acts as. */
    @WithDefault("admin")
    String bootstrapAdminUser();
}

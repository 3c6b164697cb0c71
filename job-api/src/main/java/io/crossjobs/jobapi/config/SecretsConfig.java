package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** The key shared with the provisioners that seals task secrets (AES-256, base64 of 32 bytes). */
@ConfigMapping(prefix = "crossjobs.secrets")
public interface SecretsConfig {
    Optional<String> key();
}

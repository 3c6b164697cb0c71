package io.crossjobs.provisioner.service;

import io.crossjobs.events.SecretSealer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the sealed secrets of a launch command with the key job-api sealed them with
 * ({@code crossjobs.secrets.key}); the plain values exist only while the startup script is written.
 */
@ApplicationScoped
public class SecretOpener {
    private final Optional<SecretSealer> sealer;

    public SecretOpener(@ConfigProperty(name = "crossjobs.secrets.key") Optional<String> key) {
        this.sealer = key.filter(k -> !k.isBlank()).map(SecretSealer::fromBase64Key);
    }

    /**
     * @throws IllegalArgumentException naming the secret (never its value) when it cannot be opened
     */
    public Map<String, String> open(Map<String, String> sealed) {
        if (sealed.isEmpty()) return Map.of();
        SecretSealer s = sealer.orElseThrow(() -> new IllegalArgumentException(
                "secrets: the task has secrets but this provisioner has no crossjobs.secrets.key"));
        Map<String, String> plain = new LinkedHashMap<>();
        sealed.forEach((name, value) -> {
            try {
                plain.put(name, s.unseal(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secrets: '" + name + "' does not open with this provisioner's key");
            }
        });
        return plain;
    }
}

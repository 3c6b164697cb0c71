package io.crossjobs.jobapi.service;

import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.config.SecretsConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seals the values of a task's {@code secrets} before anything stores or publishes them. A malformed key
 * stops the start; without a key, submissions that carry secrets are refused by name (plain text never
 * leaves this class).
 */
@Startup
@ApplicationScoped
public class TaskSecrets {
    private static final Logger LOG = Logger.getLogger(TaskSecrets.class);
    public static final String REDACTED = "<redacted>";

    private final Optional<SecretSealer> sealer;

    public TaskSecrets(SecretsConfig config) {
        Optional<String> key = config.key().filter(k -> !k.isBlank());
        try {
            this.sealer = key.map(SecretSealer::fromBase64Key);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("crossjobs.secrets.key must be the base64 form of 32 bytes: "
                    + e.getMessage());
        }
        if (sealer.isEmpty()) {
            LOG.warn("crossjobs.secrets.key is not set: tasks with secrets will be refused");
        }
    }

    /** The tasks with their secret values sealed. */
    public List<TaskSpec> seal(List<TaskSpec> tasks) {
        if (sealer.isEmpty() && tasks.stream().anyMatch(t -> !t.secrets().isEmpty())) {
            throw new InvalidInputException("secrets",
                    "cannot be accepted: this job-api has no secrets key (crossjobs.secrets.key) configured");
        }
        return tasks.stream().map(this::seal).toList();
    }

    private TaskSpec seal(TaskSpec t) {
        if (t.secrets().isEmpty()) return t;
        Map<String, String> sealed = new LinkedHashMap<>();
        t.secrets().forEach((name, value) -> sealed.put(name, sealer.orElseThrow().seal(value)));
        return t.withSecrets(sealed);
    }

    /** One value sealed for the provisioners, e.g. a controller VM's bootstrap token. */
    public String sealValue(String plain) {
        return sealer.orElseThrow(() -> new IllegalStateException(
                "crossjobs.secrets.key is not set: nothing can be sealed for the provisioners")).seal(plain);
    }

    /** What a view shows of secrets: their names only. */
    public static Map<String, String> redacted(Map<String, String> secrets) {
        Map<String, String> shown = new java.util.TreeMap<>();
        secrets.keySet().forEach(name -> shown.put(name, REDACTED));
        return shown;
    }
}

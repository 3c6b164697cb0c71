package io.crossjobs.cli.task;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code launch}'s flags set in the file: the job's name ({@code --name}), and in every task the {@code envs}
 * ({@code --env}) and {@code secrets} ({@code --secret}) given, over the file's own values (as SkyPilot's flags do).
 */
public record Overrides(Optional<String> name, Map<String, String> envs, Map<String, String> secrets) {
    public Overrides {
        // in the order given: the JSON sent lists them so
        envs = Collections.unmodifiableMap(new LinkedHashMap<>(envs));
        secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    }

    public static Overrides none() {
        return new Overrides(Optional.empty(), Map.of(), Map.of());
    }

    public Overrides withName(String jobName) {
        return new Overrides(Optional.ofNullable(jobName), envs, secrets);
    }

    public Overrides withEnvs(Map<String, String> values) {
        return new Overrides(name, values, secrets);
    }

    public Overrides withSecrets(Map<String, String> values) {
        return new Overrides(name, envs, values);
    }

    boolean isEmpty() {
        return name.isEmpty() && envs.isEmpty() && secrets.isEmpty();
    }

    /** Secret values must not show in what the CLI prints. */
    @Override
    public String toString() {
        return "Overrides[name=" + name + ", envs=" + envs + ", secrets=" + secrets.keySet() + "]";
    }
}

package io.crossjobs.events;

import java.util.List;
import java.util.Map;

/**
 * One task of a managed job: what to run and on what. {@code secrets} hold values sealed by
 * {@link SecretSealer} (only job-api and the provisioners hold the key), never plain text. {@code fileMounts} are
 * what each node stages before setup, the workdir among them.
 */
public record TaskSpec(String name, Resources resources, int numNodes, Map<String, String> envs,
                       Map<String, String> secrets, String setup, String run, List<FileMount> fileMounts) {

    public TaskSpec {
        envs = envs == null ? Map.of() : Map.copyOf(envs);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        fileMounts = fileMounts == null ? List.of() : List.copyOf(fileMounts);
        if (numNodes < 1) numNodes = 1;
    }

    /** Without file mounts. */
    public TaskSpec(String name, Resources resources, int numNodes, Map<String, String> envs,
                    Map<String, String> secrets, String setup, String run) {
        this(name, resources, numNodes, envs, secrets, setup, run, null);
    }

    /** Without secrets. */
    public TaskSpec(String name, Resources resources, int numNodes, Map<String, String> envs, String setup,
                    String run) {
        this(name, resources, numNodes, envs, null, setup, run);
    }

    public TaskSpec withName(String newName) {
        return new TaskSpec(newName, resources, numNodes, envs, secrets, setup, run, fileMounts);
    }

    public TaskSpec withResources(Resources newResources) {
        return new TaskSpec(name, newResources, numNodes, envs, secrets, setup, run, fileMounts);
    }

    public TaskSpec withEnvs(Map<String, String> newEnvs) {
        return new TaskSpec(name, resources, numNodes, newEnvs, secrets, setup, run, fileMounts);
    }

    public TaskSpec withSecrets(Map<String, String> newSecrets) {
        return new TaskSpec(name, resources, numNodes, envs, newSecrets, setup, run, fileMounts);
    }

    public TaskSpec withFileMounts(List<FileMount> newFileMounts) {
        return new TaskSpec(name, resources, numNodes, envs, secrets, setup, run, newFileMounts);
    }
}

package io.crossjobs.events;

import java.util.List;
import java.util.Map;

/**
 * controller → provisioner: bring up {@code numNodes} instances for one attempt and start the task.
 * Replaying it must create nothing new: the provisioner finds the cluster by its tags first.
 * {@code taskId} stays the same across attempts, so a job can find its checkpoints. {@code secrets} are
 * passed on sealed, exactly as job-api sealed them; only the provisioner unseals them. {@code fileMounts} name
 * objects only: the provisioner has their fetches signed at each launch. {@code labels} are the task's
 * {@code resources.labels}, set on every instance beside crossjobs' own tags. {@code timeLimit}: what is left of the
 * task's {@code max_duration} for this attempt, which each node enforces itself; null: no limit.
 */
public record LaunchCluster(String jobId, int attempt, String clusterName, String taskId, Placement placement,
                            int numNodes, Map<String, String> envs, Map<String, String> secrets, String setup,
                            String run, List<FileMount> fileMounts, Map<String, String> labels,
                            TimeLimit timeLimit) implements JobEvent {

    public LaunchCluster {
        envs = envs == null ? Map.of() : Map.copyOf(envs);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
        fileMounts = fileMounts == null ? List.of() : List.copyOf(fileMounts);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Without a time limit. */
    public LaunchCluster(String jobId, int attempt, String clusterName, String taskId, Placement placement,
                         int numNodes, Map<String, String> envs, Map<String, String> secrets, String setup,
                         String run, List<FileMount> fileMounts, Map<String, String> labels) {
        this(jobId, attempt, clusterName, taskId, placement, numNodes, envs, secrets, setup, run, fileMounts, labels,
                null);
    }

    /** This launch with the task's time limit for it. */
    public LaunchCluster withTimeLimit(TimeLimit limit) {
        return new LaunchCluster(jobId, attempt, clusterName, taskId, placement, numNodes, envs, secrets, setup, run,
                fileMounts, labels, limit);
    }

    /** Without file mounts or labels. */
    public LaunchCluster(String jobId, int attempt, String clusterName, String taskId, Placement placement,
                         int numNodes, Map<String, String> envs, Map<String, String> secrets, String setup,
                         String run) {
        this(jobId, attempt, clusterName, taskId, placement, numNodes, envs, secrets, setup, run, null, null);
    }

    /** Without secrets. */
    public LaunchCluster(String jobId, int attempt, String clusterName, String taskId, Placement placement,
                         int numNodes, Map<String, String> envs, String setup, String run) {
        this(jobId, attempt, clusterName, taskId, placement, numNodes, envs, null, setup, run);
    }
}

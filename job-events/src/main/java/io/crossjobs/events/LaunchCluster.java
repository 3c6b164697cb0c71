package io.crossjobs.events;

import java.util.Map;

/**
 * controller → provisioner: bring up {@code numNodes} instances for one attempt and start the task.
 * Replaying it must create nothing new: the provisioner finds the cluster by its tags first.
 * {@code taskId} stays the same across attempts, so a job can find its checkpoints.
 */
public record LaunchCluster(String jobId, int attempt, String clusterName, String taskId, Placement placement,
                            int numNodes, Map<String, String> envs, String setup, String run) implements JobEvent {

    public LaunchCluster {
        envs = envs == null ? Map.of() : Map.copyOf(envs);
    }
}

package io.crossjobs.provisioner.service;

import io.crossjobs.events.ClusterState;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.NodeState;

import java.util.List;

/** The cluster's state from its nodes' common states and what this provisioner knows of its history. */
public final class ClusterStateMapper {

    /** What the provisioner remembers of a cluster, besides its nodes. */
    public record History(int expectedNodes, boolean terminationRequested, boolean seenAlive, int mostNodesSeen) {
        public static final History NONE = new History(0, false, false, 0);
    }

    public static ClusterState stateOf(List<CloudInstance> nodes, History h) {
        if (nodes.isEmpty()) return h.terminationRequested() || !h.seenAlive() ? ClusterState.TERMINATED : ClusterState.PREEMPTED;
        if (nodes.stream().anyMatch(CloudInstance::preempted)) return ClusterState.PREEMPTED;
        boolean anyAlive = nodes.stream().anyMatch(n -> n.state().alive());
        boolean anyLeaving = !nodes.stream().allMatch(n -> n.state().alive());
        boolean nodeVanished = nodes.size() < h.mostNodesSeen();
        // a node going away that nobody asked to terminate was lost: the job must be recovered
        if (!h.terminationRequested() && (nodeVanished || anyLeaving && (anyAlive || h.seenAlive()))) {
            return ClusterState.PREEMPTED;
        }
        if (nodes.stream().allMatch(n -> n.state() == NodeState.TERMINATED)) return ClusterState.TERMINATED;
        if (anyLeaving) return ClusterState.TERMINATING;
        boolean allRunning = nodes.stream().allMatch(n -> n.state() == NodeState.RUNNING);
        return allRunning && nodes.size() >= h.expectedNodes() ? ClusterState.RUNNING : ClusterState.PROVISIONING;
    }

    /** Every node is gone: the cluster can be forgotten once its final state is reported. */
    public static boolean allGone(List<CloudInstance> nodes) {
        return nodes.stream().allMatch(n -> n.state() == NodeState.TERMINATED);
    }

    private ClusterStateMapper() { }
}

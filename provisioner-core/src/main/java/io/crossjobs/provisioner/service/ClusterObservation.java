package io.crossjobs.provisioner.service;

import io.crossjobs.events.ClusterState;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;

import java.util.List;

/**
 * One poll's view of one cluster, compared with memory: its state, whether that is news, which nodes to
 * read console output from (running, exit not yet seen, least recently read first), whether to ask again for
 * a termination that did not take, and whether the cluster is finished (to be forgotten once reported).
 * Nothing is remembered until {@link ClusterTracker#commit} after the resulting events are published.
 */
public record ClusterObservation(ClusterKey key, String region, String zone, ClusterState state, boolean changed,
                                 List<CloudInstance> nodes, List<CloudInstance> logTargets,
                                 boolean terminateAgain, boolean finished, boolean exitReported) {

    public ClusterObservation {
        nodes = List.copyOf(nodes);
        logTargets = List.copyOf(logTargets);
    }
}

package io.crossjobs.provisioner.service;

import io.crossjobs.events.ClusterState;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;

import java.util.List;

/**
 * One poll's view of one cluster, compared with memory: its state, whether that is news, which nodes to
 * read output from (running, exit not yet seen, due for a read, least recently read first), whether to ask again for
 * a termination that did not take, and whether the cluster is finished (to be forgotten once reported);
 * {@code nodeIps} is the address list to write into the nodes' metadata (null: nothing new to write), and
 * {@code unclaimed} says that a live cluster this process neither launched nor terminated is to be reported.
 * Nothing is remembered until {@link ClusterTracker#commit} after the resulting events are published.
 */
public record ClusterObservation(ClusterKey key, String region, String zone, ClusterState state, boolean changed,
                                 List<CloudInstance> nodes, List<CloudInstance> logTargets,
                                 boolean terminateAgain, boolean finished, boolean exitReported, String nodeIps,
                                 boolean unclaimed) {

    ClusterObservation(ClusterKey key, String region, String zone, ClusterState state, boolean changed,
                       List<CloudInstance> nodes, List<CloudInstance> logTargets, boolean terminateAgain,
                       boolean finished, boolean exitReported) {
        this(key, region, zone, state, changed, nodes, logTargets, terminateAgain, finished, exitReported, null,
                false);
    }

    public ClusterObservation {
        nodes = List.copyOf(nodes);
        logTargets = List.copyOf(logTargets);
    }
}

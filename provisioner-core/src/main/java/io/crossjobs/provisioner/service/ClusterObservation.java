package io.crossjobs.provisioner.service;

import io.crossjobs.events.ClusterState;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;

import java.util.List;
import java.util.Set;

/**
 * One poll's view of one cluster, compared with memory: its state, what follows from it ({@link Fact}), which nodes
 * to read output from (running, exit not yet seen, due for a read, least recently read first), and {@code nodeIps},
 * the address list to write into the nodes' metadata (null: nothing new to write). Nothing is remembered until
 * {@link ClusterTracker#commit} after the resulting events are published.
 */
public record ClusterObservation(ClusterKey key, String region, String zone, ClusterState state, Set<Fact> facts,
                                 List<CloudInstance> nodes, List<CloudInstance> logTargets, String nodeIps) {

    /** What a poll found out about a cluster beside its state. */
    public enum Fact {
        /** The state differs from the one last reported: news to publish. */
        CHANGED,
        /** A termination was asked and did not take: ask again. */
        TERMINATE_AGAIN,
        /** Every node is gone: forget the cluster once this is reported. */
        FINISHED,
        /** The job's exit was reported before. */
        EXIT_REPORTED,
        /** A live cluster this process neither launched nor terminated: to be reported. */
        UNCLAIMED
    }

    public ClusterObservation {
        facts = Set.copyOf(facts);
        nodes = List.copyOf(nodes);
        logTargets = List.copyOf(logTargets);
    }

    public boolean changed() { return facts.contains(Fact.CHANGED); }

    public boolean terminateAgain() { return facts.contains(Fact.TERMINATE_AGAIN); }

    public boolean finished() { return facts.contains(Fact.FINISHED); }

    public boolean exitReported() { return facts.contains(Fact.EXIT_REPORTED); }

    public boolean unclaimed() { return facts.contains(Fact.UNCLAIMED); }
}

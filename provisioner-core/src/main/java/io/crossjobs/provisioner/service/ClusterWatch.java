package io.crossjobs.provisioner.service;

import io.crossjobs.events.ClusterState;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeState;
import io.crossjobs.provisioner.service.ClusterObservation.Fact;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this process remembers about one cluster between polls: a few fields and one log offset per node.
 * The cloud stays the source of truth; after a restart this starts empty and is rebuilt from listings.
 */
final class ClusterWatch {
    private final ClusterKey key;
    private final Instant createdAt;
    private String region;
    private String zone;
    private int expectedNodes;
    private boolean terminationRequested;
    private Instant terminationAskedAt;
    private boolean listed;
    private boolean seenAlive;
    private int mostNodesSeen;
    private ClusterState reported;
    private boolean exitReported;
    /** This process launched or terminated the cluster, so the controller knows it. */
    private boolean claimed;
    private boolean foundReported;
    private String nodeIpsWritten;
    private final Set<String> seenInstances = new HashSet<>();
    private final Map<Integer, NodeLog> logs = new HashMap<>();

    ClusterWatch(ClusterKey key, String region, Instant createdAt) {
        this.key = key;
        this.region = region;
        this.createdAt = createdAt;
    }

    synchronized void expectLaunch(String region, String zone, int numNodes) {
        this.region = region;
        this.zone = zone;
        this.expectedNodes = numNodes;
        this.claimed = true;
    }

    synchronized void expectTermination(String region, Instant now) {
        if (region != null) this.region = region;
        terminationRequested = true;
        terminationAskedAt = now;
        claimed = true;
    }

    synchronized void reported(ClusterState state) { reported = state; }

    synchronized String region() { return region; }

    synchronized NodeLog nodeLog(int rank) { return logs.getOrDefault(rank, NodeLog.START); }

    /** How often a node's output is read: every {@code interval} while it prints, down to every {@code quiet}. */
    record OutputReads(Duration interval, Duration quiet) { }

    synchronized ClusterObservation observe(List<CloudInstance> listed, Instant now, Duration terminateAgainAfter,
                                            OutputReads outputReads) {
        List<CloudInstance> nodes = onePerRank(listed);
        ClusterState state = ClusterStateMapper.stateOf(nodes, history());
        boolean anyAlive = nodes.stream().anyMatch(n -> n.state().alive());
        // an instance that appears alive after the termination was asked (made again behind our back) goes at once
        boolean newcomerAlive = this.listed && listed.stream()
                .anyMatch(n -> n.state().alive() && !seenInstances.contains(n.instanceId()));
        boolean terminateAgain = terminationRequested && anyAlive
                && (newcomerAlive || terminationAskedAt.plus(terminateAgainAfter).isBefore(now));
        List<CloudInstance> logTargets = nodes.stream()
                .filter(n -> n.state() == NodeState.RUNNING && !logs.getOrDefault(n.nodeRank(), NodeLog.START).finished())
                .filter(n -> logs.getOrDefault(n.nodeRank(), NodeLog.START)
                        .readDue(now, outputReads.interval(), outputReads.quiet()))
                .sorted(Comparator.comparing(n -> logs.getOrDefault(n.nodeRank(), NodeLog.START).lastRead()))
                .toList();
        String seenZone = nodes.isEmpty() ? zone : nodes.get(0).zone();
        Set<Fact> facts = known();
        if (state != reported) facts.add(Fact.CHANGED);
        if (terminateAgain) facts.add(Fact.TERMINATE_AGAIN);
        if (ClusterStateMapper.allGone(nodes)) facts.add(Fact.FINISHED);
        if (!claimed && !foundReported && anyAlive) facts.add(Fact.UNCLAIMED);
        return new ClusterObservation(key, region, seenZone, state, facts, nodes, logTargets, nodeIpsToWrite(nodes));
    }

    /** The facts this watch remembers, to which a poll adds what it found. */
    private Set<Fact> known() {
        Set<Fact> facts = EnumSet.noneOf(Fact.class);
        if (exitReported) facts.add(Fact.EXIT_REPORTED);
        return facts;
    }

    /**
     * Every node's address in rank order, space-separated, once all ranks are listed alive with a private IP;
     * null when that is not the case yet, or the list was written already. After a restart the expected node
     * count may be unknown: a shorter list written then is harmless, as nodes wait for a list of their size,
     * and the complete one is written when it appears.
     */
    private String nodeIpsToWrite(List<CloudInstance> nodes) {
        if (terminationRequested || nodes.size() < 2) return null;
        if (expectedNodes > 0 && nodes.size() != expectedNodes) return null;
        for (int rank = 0; rank < nodes.size(); rank++) {
            CloudInstance n = nodes.get(rank);
            if (n.nodeRank() != rank || !n.state().alive() || n.privateIp() == null || n.privateIp().isBlank()) {
                return null;
            }
        }
        String value = String.join(" ", nodes.stream().map(CloudInstance::privateIp).toList());
        return value.equals(nodeIpsWritten) ? null : value;
    }

    synchronized void nodeIpsWritten(String value) { nodeIpsWritten = value; }

    /** The cluster has no instance in this region's listing. */
    synchronized ClusterObservation observeAbsent(Instant now, Duration visibleWithin) {
        if (!listed && terminationRequested && reported == ClusterState.TERMINATING) {
            // a terminate command found it alive before any poll listed it, and clouds that delete (GCE, Azure)
            // list nothing afterwards: gone is its final state
            Set<Fact> facts = known();
            facts.add(Fact.CHANGED);
            facts.add(Fact.FINISHED);
            return new ClusterObservation(key, region, zone, ClusterState.TERMINATED, facts, List.of(), List.of(), null);
        }
        if (!listed) {
            // just launched and not listed yet (eventual consistency): wait. A launch that is still not listed after
            // that was lost before any poll saw it (a spot VM taken and deleted at once): the job must be recovered
            boolean givenUp = createdAt.plus(visibleWithin).isBefore(now);
            boolean lostLaunch = givenUp && expectedNodes > 0 && !terminationRequested;
            ClusterState state = lostLaunch ? ClusterState.PREEMPTED : reported;
            Set<Fact> facts = known();
            if (lostLaunch && state != reported) facts.add(Fact.CHANGED);
            if (givenUp) facts.add(Fact.FINISHED);
            return new ClusterObservation(key, region, zone, state, facts, List.of(), List.of(), null);
        }
        ClusterState state = ClusterStateMapper.stateOf(List.of(), history());
        Set<Fact> facts = known();
        if (state != reported) facts.add(Fact.CHANGED);
        facts.add(Fact.FINISHED);
        return new ClusterObservation(key, region, zone, state, facts, List.of(), List.of(), null);
    }

    synchronized void commit(ClusterObservation seen, Map<Integer, NodeLog> logProgress, boolean exitNowReported) {
        seen.nodes().forEach(n -> seenInstances.add(n.instanceId()));
        if (!seen.nodes().isEmpty()) {
            listed = true;
            mostNodesSeen = Math.max(mostNodesSeen, seen.nodes().size());
            if (seen.nodes().stream().anyMatch(n -> n.state().alive())) seenAlive = true;
            if (seen.zone() != null) zone = seen.zone();
        }
        if (seen.state() != null) reported = seen.state();
        logs.putAll(logProgress);
        exitReported |= exitNowReported;
        foundReported |= seen.unclaimed();
    }

    private ClusterStateMapper.History history() {
        return new ClusterStateMapper.History(expectedNodes, terminationRequested, seenAlive, mostNodesSeen);
    }

    /** A rank listed twice keeps its most alive instance. */
    private static List<CloudInstance> onePerRank(List<CloudInstance> listed) {
        Map<Integer, CloudInstance> byRank = new HashMap<>();
        for (CloudInstance n : listed) {
            byRank.merge(n.nodeRank(), n, (a, b) -> liveliness(a) >= liveliness(b) ? a : b);
        }
        List<CloudInstance> nodes = new ArrayList<>(byRank.values());
        nodes.sort(Comparator.comparingInt(CloudInstance::nodeRank));
        return nodes;
    }

    private static int liveliness(CloudInstance n) {
        return switch (n.state()) {
            case RUNNING -> 3;
            case PROVISIONING -> 2;
            case TERMINATING -> 1;
            case TERMINATED -> 0;
        };
    }
}

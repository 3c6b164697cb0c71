package io.crossjobs.provisioner.service;

import io.crossjobs.events.ClusterState;
import io.crossjobs.provisioner.config.ProvisionerConfig;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The provisioner's whole memory: one {@link ClusterWatch} per live cluster, plus the keys of recently
 * finished clusters so that the cloud's leftover listing of them (EC2 lists terminated instances for about
 * an hour) is not reported again. Finished clusters are forgotten, so memory follows the live clusters.
 */
@ApplicationScoped
public class ClusterTracker {
    private final Map<ClusterKey, ClusterWatch> watches = new ConcurrentHashMap<>();
    private final Map<ClusterKey, Instant> finished = new ConcurrentHashMap<>();
    private final Duration forgetFinishedAfter;
    private final Duration launchVisibleWithin;
    private final Duration terminateAgainAfter;
    private final ClusterWatch.OutputReads outputReads;

    @Inject
    public ClusterTracker(ProvisionerConfig config) {
        this(new Timings(config.forgetFinishedAfter(), config.launchVisibleWithin(), config.terminateAgainAfter(),
                config.outputReadInterval(), config.quietOutputReadInterval()));
    }

    /** The tracker's waits; see {@link ProvisionerConfig} for each. */
    public record Timings(Duration forgetFinishedAfter, Duration launchVisibleWithin, Duration terminateAgainAfter,
                          Duration outputReadInterval, Duration quietOutputReadInterval) { }

    public ClusterTracker(Timings timings) {
        this.forgetFinishedAfter = timings.forgetFinishedAfter();
        this.launchVisibleWithin = timings.launchVisibleWithin();
        this.terminateAgainAfter = timings.terminateAgainAfter();
        this.outputReads = new ClusterWatch.OutputReads(timings.outputReadInterval(), timings.quietOutputReadInterval());
    }

    /** A launch command is about to create the cluster (a replay may revive a finished key). */
    public void expectLaunch(ClusterKey key, String region, String zone, int numNodes, Instant now) {
        finished.remove(key);
        watch(key, region, now).expectLaunch(region, zone, numNodes);
    }

    /** A terminate command is about to run: nodes going away from now on are not a preemption. */
    public void expectTermination(ClusterKey key, String region, Instant now) {
        if (finished.containsKey(key)) return;
        watch(key, region, now).expectTermination(region, now);
    }

    /** A command has reported this state, so the poller reports only what changes after it. */
    public void reported(ClusterKey key, ClusterState state) {
        ClusterWatch w = watches.get(key);
        if (w != null) w.reported(state);
    }

    /** Whether the cluster is live in memory (its output is still read). */
    public boolean follows(ClusterKey key) {
        return watches.containsKey(key);
    }

    /** The region a known cluster lives in, or null. */
    public String regionOf(ClusterKey key) {
        ClusterWatch w = watches.get(key);
        return w == null ? null : w.region();
    }

    /** Whether a live cluster this process knows of is in the region. */
    public boolean hasLiveClusterIn(String region) {
        return watches.values().stream().anyMatch(w -> region.equals(w.region()));
    }

    /** The configured regions plus any region a live cluster was launched into. */
    public Set<String> regionsToPoll(List<String> configured) {
        Set<String> regions = new TreeSet<>(configured);
        watches.values().forEach(w -> {
            if (w.region() != null) regions.add(w.region());
        });
        return regions;
    }

    /** Compares one region's listing with memory, cluster by cluster, without changing memory. */
    public List<ClusterObservation> observe(String region, List<CloudInstance> listing, Instant now) {
        purgeFinished(now);
        Map<ClusterKey, List<CloudInstance>> byCluster = listing.stream().collect(
                Collectors.groupingBy(CloudInstance::cluster, LinkedHashMap::new, Collectors.toList()));
        List<ClusterObservation> seen = new ArrayList<>();
        byCluster.forEach((key, nodes) -> {
            if (finished.containsKey(key)) {
                // leftovers of a finished cluster are not news; a live instance under its key is (made again
                // behind our back, or by a replay): it is watched afresh, so it is reported as not ours
                if (nodes.stream().noneMatch(n -> n.state().alive())) return;
                finished.remove(key);
            }
            seen.add(watch(key, region, now).observe(nodes, now, terminateAgainAfter, outputReads));
        });
        watches.forEach((key, w) -> {
            if (region.equals(w.region()) && !byCluster.containsKey(key)) {
                seen.add(w.observeAbsent(now, launchVisibleWithin));
            }
        });
        return seen;
    }

    public NodeLog nodeLog(ClusterKey key, int rank) {
        ClusterWatch w = watches.get(key);
        return w == null ? NodeLog.START : w.nodeLog(rank);
    }

    /**
     * Remembers what was published for an observation; a finished cluster is forgotten. Returns whether this
     * forgot the cluster.
     */
    public boolean commit(ClusterObservation seen, Map<Integer, NodeLog> logProgress,
                          boolean exitNowReported, Instant now) {
        ClusterWatch w = watches.get(seen.key());
        if (w == null) return false;
        if (seen.finished()) {
            watches.remove(seen.key());
            finished.put(seen.key(), now);
            return true;
        }
        w.commit(seen, logProgress, exitNowReported);
        return false;
    }

    /** The nodes' metadata now holds this address list. */
    public void nodeIpsWritten(ClusterKey key, String value) {
        ClusterWatch w = watches.get(key);
        if (w != null) w.nodeIpsWritten(value);
    }

    public int liveClusters() { return watches.size(); }

    private ClusterWatch watch(ClusterKey key, String region, Instant now) {
        return watches.computeIfAbsent(key, k -> new ClusterWatch(k, region, now));
    }

    private void purgeFinished(Instant now) {
        Instant horizon = now.minus(forgetFinishedAfter);
        finished.values().removeIf(at -> at.isBefore(horizon));
    }
}

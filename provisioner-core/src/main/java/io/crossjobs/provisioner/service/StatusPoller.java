package io.crossjobs.provisioner.service;

import io.crossjobs.events.ExitMarkers;
import io.crossjobs.events.ClusterFound;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LogChunk;
import io.crossjobs.events.OutputEnd;
import io.crossjobs.provisioner.config.ProvisionerConfig;
import io.crossjobs.provisioner.messaging.ProvisionEventPublisher;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Reads the cloud's state for all jobs at once: one list call per region per tick, grouped by cluster and
 * compared with memory. Publishes ClusterProgress when a cluster's state changes (plus ClusterPreempted when the
 * cloud took it), the output running nodes shipped to object storage as LogChunks, and JobExited when the head
 * node's output holds its exit marker: to the controller, and on job-logs behind the chunks it ends, saying where
 * each node's output ends. A finished cluster's shipped output is then deleted. Memory is updated only after Kafka
 * acknowledged, so a failed publish is redone on the next tick (consumers drop the duplicates by offset or state).
 *
 * <p>Output reads are network round trips, so clusters' reads run side by side on a small pool
 * ({@code crossjobs.provisioner.output-read-threads}); each cluster's own events stay in one ordered publish. Read
 * one after another, a round trip of 50 ms would cap a provisioner at 20 reads/s, and every cluster's RUNNING
 * would wait for the reads of the clusters listed before it.
 */
@ApplicationScoped
public class StatusPoller {
    private static final Logger LOG = Logger.getLogger(StatusPoller.class);

    private final GuardedCloud cloud;
    private final ClusterTracker tracker;
    private final ProvisionEventPublisher publisher;
    private final ProvisionerConfig config;
    private final RegionBackoff backoff;
    private final IdleRegionPolls idleRegions;
    private final SecretMasker masker;
    private final LaunchNonces nonces;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService outputReaders;
    private volatile boolean stopping;

    public StatusPoller(GuardedCloud cloud, ClusterTracker tracker, ProvisionEventPublisher publisher,
                        ProvisionerConfig config, SecretMasker masker, LaunchNonces nonces) {
        this.masker = masker;
        this.nonces = nonces;
        this.cloud = cloud;
        this.tracker = tracker;
        this.publisher = publisher;
        this.config = config;
        this.backoff = new RegionBackoff(config.pollInterval(), config.pollBackoffMax());
        this.idleRegions = new IdleRegionPolls(config.idleRegionPollInterval());
        AtomicInteger threads = new AtomicInteger();
        this.outputReaders = Executors.newFixedThreadPool(config.outputReadThreads(), r -> {
            Thread t = new Thread(r, "output-reader-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Scheduled(identity = "crossjobs-status-poller", every = "${crossjobs.provisioner.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        for (String region : tracker.regionsToPoll(config.regions())) {
            if (stopping) return;
            Instant now = clock.instant();
            if (!backoff.allows(region, now)) continue;
            if (tracker.hasLiveClusterIn(region) || idleRegions.due(region, now)) pollRegion(region);
        }
        masker.retainOnly(tracker::follows);
    }

    /** The SDK clients close with the application: a tick still running then would only log failures. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        outputReaders.shutdownNow();
    }

    void pollRegion(String region) {
        List<CloudInstance> listing;
        try {
            listing = cloud.listManaged(region);
            backoff.succeeded(region);
            idleRegions.listed(region, clock.instant());
        } catch (CloudCallException e) {
            Duration pause = backoff.failed(region, clock.instant());
            if (e.error().errorClass() == ErrorClass.THROTTLED) {
                LOG.infof("cloud=%s region=%s throttled the list call; polling it again in %s", cloud.cloudName(),
                        region, pause);
            } else {
                LOG.warnf("cloud=%s region=%s list failed, polling it again in %s: %s", cloud.cloudName(), region,
                        pause, e.error());
            }
            return;
        }
        Instant now = clock.instant();
        List<CompletableFuture<Void>> published = new ArrayList<>();
        for (ClusterObservation seen : tracker.observe(region, listing, now)) {
            if (seen.terminateAgain()) terminateAgain(seen, now);
            if (seen.nodeIps() != null) writeNodeIps(seen);
            List<JobEvent> events = new ArrayList<>(stateEvents(seen, now));
            if (seen.unclaimed()) events.add(found(seen, now));
            CompletableFuture<Void> done = seen.logTargets().isEmpty()
                    ? publish(seen, events, Map.of(), false, now)
                    : CompletableFuture.supplyAsync(() -> {
                        Map<Integer, NodeLog> progress = new HashMap<>();
                        boolean exitFound = readLogs(seen, events, progress, now);
                        return publish(seen, events, progress, exitFound, now);
                    }, outputReaders).thenCompose(f -> f);
            published.add(done);
        }
        awaitAcks(region, published);
    }

    private CompletableFuture<Void> publish(ClusterObservation seen, List<JobEvent> events,
                                            Map<Integer, NodeLog> progress, boolean exitFound, Instant now) {
        return publisher.publishAll(events).toCompletableFuture()
                .thenRun(() -> {
                    if (tracker.commit(seen, progress, exitFound, now)) outputReaders.execute(() -> deleteOutput(seen.key()));
                });
    }

    private List<JobEvent> stateEvents(ClusterObservation seen, Instant now) {
        if (!seen.changed() || seen.state() == null) return List.of();
        var key = seen.key();
        String message = describe(seen);
        LOG.infof("%s cloud=%s region=%s zone=%s cluster is %s (%s)", key, cloud.cloudName(), seen.region(),
                seen.zone(), seen.state(), message);
        List<String> ids = seen.nodes().stream().map(CloudInstance::instanceId).toList();
        ClusterProgress progress = ClusterProgress.of(key.jobId()).attempt(key.attempt())
                .clusterName(key.clusterName()).state(seen.state()).cloud(cloud.cloudName()).region(seen.region())
                .zone(seen.zone()).instanceIds(ids).message(message).at(now).build();
        if (seen.state() != ClusterState.PREEMPTED) return List.of(progress);
        return List.of(progress, ClusterPreempted.of(key.jobId()).attempt(key.attempt())
                .clusterName(key.clusterName()).cloud(cloud.cloudName()).region(seen.region()).zone(seen.zone())
                .message(message).at(now).build());
    }

    /**
     * Reads running nodes' new output; returns whether the head node's exit was found. Its JobExited is added after
     * every chunk of this read, announcing where each node's shipped output ends, so that on job-logs it follows the
     * output it ends.
     */
    private boolean readLogs(ClusterObservation seen, List<JobEvent> events, Map<Integer, NodeLog> progress,
                             Instant now) {
        ExitMarkers.Exit headExit = null;
        for (CloudInstance node : seen.logTargets()) {
            if (stopping) break;
            long offset = tracker.nodeLog(seen.key(), node.nodeRank()).offset();
            NodeOutput raw;
            try {
                raw = cloud.readOutput(node, offset);
            } catch (CloudCallException e) {
                LOG.debugf("%s node=%d output read failed: %s", seen.key(), node.nodeRank(), e.error());
                continue;
            }
            // secrets are masked before anything is shipped; the marker is read from the raw text, so a secret
            // that happens to match part of it cannot hide the exit (masking keeps every byte offset and line)
            OutputSlicer.Result sliced = OutputSlicer.slice(masker.mask(seen.key(), raw), config.maxLogChunkBytes());
            sliced.slices().forEach(s -> events.add(new LogChunk(node.jobId(), node.attempt(), node.nodeRank(),
                    s.offset(), s.text())));
            var exit = ExitMarkers.first(new String(raw.data(), 0, (int) (sliced.nextOffset() - raw.offset()),
                    StandardCharsets.UTF_8), nonces.of(seen.key()));
            progress.put(node.nodeRank(), tracker.nodeLog(seen.key(), node.nodeRank())
                    .after(sliced.nextOffset(), exit.isPresent(), now));
            if (exit.isPresent() && node.nodeRank() == 0 && !seen.exitReported()) {
                LOG.infof("%s cloud=%s region=%s %s exited with %d", seen.key(), cloud.cloudName(), seen.region(),
                        exit.get().phase(), exit.get().exitCode());
                headExit = exit.get();
            }
        }
        if (headExit == null) return false;
        var key = seen.key();
        events.add(new JobExited(key.jobId(), key.attempt(), key.clusterName(), headExit.phase(), headExit.exitCode(),
                now, outputEnds(seen, progress)));
        return true;
    }

    /**
     * Where each listed node's output ends as shipped: the end of this poll's read of it, or else of the reads before
     * (whose chunks Kafka acknowledged). A worker still printing when the head node exits is cut there: the job is
     * over and its cluster goes.
     */
    private List<OutputEnd> outputEnds(ClusterObservation seen, Map<Integer, NodeLog> progress) {
        return seen.nodes().stream().map(CloudInstance::nodeRank).distinct().sorted()
                .map(rank -> new OutputEnd(rank, progress.getOrDefault(rank, tracker.nodeLog(seen.key(), rank)).offset()))
                .toList();
    }

    /** A finished cluster's shipped output is in job-api's store by now; the copy in object storage goes. */
    private void deleteOutput(ClusterKey key) {
        try {
            cloud.deleteOutput(key);
        } catch (CloudCallException e) {
            LOG.warnf("%s cloud=%s deleting its shipped output failed: %s", key, cloud.cloudName(), e.error());
        }
    }

    /** Multi-node clusters: each node waits in its startup script until its own metadata lists every node. */
    private void writeNodeIps(ClusterObservation seen) {
        try {
            cloud.writeNodeIps(seen.region(), seen.nodes(), seen.nodeIps());
            tracker.nodeIpsWritten(seen.key(), seen.nodeIps());
            LOG.infof("%s cloud=%s region=%s node addresses written to the nodes' metadata: %s", seen.key(),
                    cloud.cloudName(), seen.region(), seen.nodeIps());
        } catch (CloudCallException e) {
            LOG.warnf("%s cloud=%s region=%s writing node addresses failed, trying again next poll: %s", seen.key(),
                    cloud.cloudName(), seen.region(), e.error());
        }
    }

    /**
     * A live cluster this process did not launch or terminate (it restarted, or someone made it behind its back):
     * the controller decides whether it still belongs to a live attempt, and terminates it otherwise.
     */
    private ClusterFound found(ClusterObservation seen, Instant now) {
        var key = seen.key();
        LOG.infof("%s cloud=%s region=%s live cluster not launched by this process: asking the controller", key,
                cloud.cloudName(), seen.region());
        return ClusterFound.of(key.jobId()).attempt(key.attempt()).clusterName(key.clusterName())
                .cloud(cloud.cloudName()).region(seen.region()).zone(seen.zone())
                .instanceIds(seen.nodes().stream().map(CloudInstance::instanceId).toList()).at(now).build();
    }

    private void terminateAgain(ClusterObservation seen, Instant now) {
        tracker.expectTermination(seen.key(), seen.region(), now);
        try {
            cloud.terminate(seen.region(), seen.key());
            LOG.infof("%s cloud=%s region=%s asked again to terminate", seen.key(), cloud.cloudName(), seen.region());
        } catch (RuntimeException e) {
            LOG.warnf("%s cloud=%s region=%s terminate failed again: %s", seen.key(), cloud.cloudName(),
                    seen.region(), e.getMessage());
        }
    }

    private void awaitAcks(String region, List<CompletableFuture<Void>> published) {
        if (published.isEmpty()) return;
        try {
            CompletableFuture.allOf(published.toArray(CompletableFuture[]::new))
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("cloud=%s region=%s some events were not acknowledged; they are sent again next poll: %s",
                    cloud.cloudName(), region, e.getMessage());
        }
    }

    private static String describe(ClusterObservation seen) {
        if (seen.nodes().isEmpty()) return "no instance listed";
        Map<String, Long> counts = seen.nodes().stream().collect(Collectors.groupingBy(
                n -> n.state().name().toLowerCase() + (n.preempted() ? " by the cloud" : ""), Collectors.counting()));
        String reasons = seen.nodes().stream().map(CloudInstance::stateReason)
                .filter(r -> r != null && !r.isBlank()).distinct().collect(Collectors.joining("; "));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", ")) + (reasons.isEmpty() ? "" : " - " + reasons);
    }
}

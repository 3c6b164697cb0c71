package io.crossjobs.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Settings every provisioner shares; each adapter module sets the regions of its cloud. */
@ConfigMapping(prefix = "crossjobs.provisioner")
public interface ProvisionerConfig {

    /**
     * The regions this provisioner lists, besides any region a command launched into: each on every poll while a live
     * cluster of this process is in it, otherwise once per {@link #idleRegionPollInterval()}.
     */
    List<String> regions();

    /** Time between two polls; also read by the scheduler as {@code ${crossjobs.provisioner.poll-interval}}. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * The longest pause of a region's polls after its list calls were throttled or failed: the pause starts at the
     * poll interval and doubles with each failure up to this.
     */
    @WithDefault("60s")
    Duration pollBackoffMax();

    /**
     * How often a region without a live cluster of this process is listed: it can only hold a cluster made behind
     * this process's back (or before its start, which the first poll finds), and every list call counts against the
     * cloud's request limits.
     */
    @WithDefault("10s")
    Duration idleRegionPollInterval();

    /** Upper bound of one log chunk's text, so a chatty node never produces an oversized Kafka record. */
    @WithDefault("65536")
    int maxLogChunkBytes();

    /** How long a finished cluster is remembered, so the cloud's leftover listing of it is not reported anew. */
    @WithDefault("3h")
    Duration forgetFinishedAfter();

    /**
     * How long a launched cluster may stay absent from listings (eventual consistency); after that it was lost before
     * any poll saw it, and is reported PREEMPTED.
     */
    @WithDefault("10m")
    Duration launchVisibleWithin();

    /** A cluster asked to terminate whose nodes still run after this long is asked again. */
    @WithDefault("30s")
    Duration terminateAgainAfter();

    /** How long a node of a multi-node cluster waits for all nodes' addresses before it fails setup. */
    @WithDefault("10m")
    Duration nodeIpsTimeout();

    /**
     * Cloud commands (launch, terminate) carried out at once, each job's in order. Cloud calls block on the network,
     * so this, not the CPU, bounds how many launches the provisioner has in progress.
     */
    @WithDefault("16")
    int commandThreads();

    /**
     * Output reads in flight at once, each a different cluster's. They wait on the network, so a few threads keep
     * a poll short when many nodes print.
     */
    @WithDefault("8")
    int outputReadThreads();

    /**
     * Time between two reads of one node's shipped output. Nodes upload every 2 s at most (job-events
     * {@code OutputShipping}), and each read is a list request the storage bills (S3: $0.005 per 1,000).
     */
    @WithDefault("2s")
    Duration outputReadInterval();

    /**
     * The longest time between two reads of a node that printed nothing lately: the interval doubles with each
     * empty read up to this. A quiet node costs one list request per this, and its exit is seen within it.
     */
    @WithDefault("5s")
    Duration quietOutputReadInterval();

    /**
     * How long a node's pre-signed upload stays valid: output a node prints later than this after its launch is
     * not shipped. 7 days is the longest S3 and GCS signatures allow.
     */
    @WithDefault("7d")
    Duration outputUploadValidity();

    /**
     * How long the pre-signed requests that fetch and delete a node's secrets stay valid: a node that boots later
     * than this after its launch cannot fetch them and ends with job-events' {@code SecretDelivery.UNAVAILABLE}.
     * Short, since they are in the user data until the node has deleted the secrets; long enough for a slow boot.
     */
    @WithDefault("1h")
    Duration secretFetchValidity();

    /**
     * How long the signed GETs a node stages its files with stay valid (job-events {@code FileMount}): the node uses
     * them right after fetching its private file, so this covers a slow boot and a long download.
     */
    @WithDefault("2h")
    Duration stagingFetchValidity();

    /** The most objects one bucket mount may stage; a larger bucket fails the launch with the limit named. */
    @WithDefault("10000")
    int stagingMaxBucketObjects();

    /**
     * The other clouds' provisioners, by cloud ({@code aws}, {@code gcp}, {@code azure}) → base URL of their internal
     * store API: they alone sign for objects of their cloud a node here stages.
     */
    Map<String, String> peers();

    /**
     * Whether calls are paced to the cloud's documented request limits ({@code CallPacer}). Off only to measure
     * crossjobs' own line against a cloud that enforces none (the throughput benchmark turns mock-cloud's off too).
     */
    @WithDefault("true")
    boolean pacing();

    /** Longest wait for Kafka to acknowledge one poll's events (and the output reads before them). */
    @WithDefault("30s")
    Duration publishTimeout();
}

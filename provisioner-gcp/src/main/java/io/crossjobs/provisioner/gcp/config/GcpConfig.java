package io.crossjobs.provisioner.gcp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code crossjobs.gcp.*}: how to reach Compute Engine. The regions polled are {@code crossjobs.provisioner.regions}. */
@ConfigMapping(prefix = "crossjobs.gcp")
public interface GcpConfig {

    /** Set to talk to mock-cloud (e.g. {@code http://127.0.0.1:8090}); credentials are then not used at all. */
    Optional<String> endpointOverride();

    /** The project every instance lives in. */
    String project();

    /**
     * Zones of each region ({@code crossjobs.gcp.zones.us-central1=us-central1-a,us-central1-b}); the first is
     * used when a placement names no zone. A region without an entry uses {@code <region>-a}.
     */
    Map<String, List<String>> zones();

    /** The VPC network every node's interface attaches to (global), with an ephemeral external address. */
    @WithDefault("default")
    String network();

    /** Boot disk image of every node. */
    @WithDefault("projects/debian-cloud/global/images/family/debian-12")
    String sourceImage();

    /** Boot disk type; pd-balanced is SkyPilot's default (disk_tier medium) on GCP. */
    @WithDefault("pd-balanced")
    String diskType();

    /** Machine type when the placement names none. */
    @WithDefault("e2-small")
    String defaultMachineType();

    /** The SDK's own attempts per call (its retry of UNAVAILABLE and timeouts); unset keeps the SDK default. */
    OptionalInt sdkMaxAttempts();

    /** maxResults of the aggregated list (GCE accepts up to 500). */
    @WithDefault("500")
    int pageSize();

    /** Upper bound of one API call including the SDK's retries. */
    @WithDefault("60s")
    Duration callTimeout();

    /** How long a launch waits for its insert operations to be DONE (GCE reports capacity errors only there). */
    @WithDefault("5m")
    Duration operationTimeout();

    /**
     * Where Cloud Storage is reached (e.g. mock-cloud's {@code http://127.0.0.1:8092}); credentials are then not
     * used for its API. Unset: storage.googleapis.com with Application Default Credentials.
     */
    Optional<String> storageEndpointOverride();

    /** The bucket nodes ship their output to; unset: {@code <project>-crossjobs-output}, made on first use. */
    Optional<String> outputBucket();

    /**
     * Location of the bucket when it is made: a region (Class A operations cost half a multi-region's, and every
     * chunk upload and listing is one) or a multi-region such as {@code US}.
     */
    @WithDefault("us-central1")
    String outputBucketLocation();

    /** Days after which the bucket's lifecycle rule deletes an object the provisioner did not delete itself. */
    @WithDefault("30")
    int outputRetentionDays();

    /**
     * crossjobs' object store (uploaded workdirs and files, when {@code jobs.bucket} names none); unset:
     * {@code <project>-crossjobs-store}, made on first use. {@code crossjobs store remove} deletes it only when
     * crossjobs made it (its {@code managed-by=crossjobs} label).
     */
    Optional<String> storeBucket();

    /** Location of the store's bucket when it is made: best the region most jobs run in (staging is then free). */
    @WithDefault("us-central1")
    String storeBucketLocation();

    /**
     * A service account JSON key file whose key signs the nodes' upload policies. Unset: Application Default
     * Credentials sign (a service account key, or a VM's or impersonated service account, which signs through the
     * IAM Credentials API's signBlob).
     */
    Optional<String> signingCredentialsFile();
}

package io.crossjobs.mockcloud;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code mock-cloud.*} settings. */
@ConfigMapping(prefix = "mock-cloud")
public interface MockCloudConfig {

    /** Pending → running. */
    @WithDefault("1s")
    Duration bootDelay();

    /** Shutting-down → terminated. */
    @WithDefault("1s")
    Duration shutdownDelay();

    /** How long terminated instances stay listed (EC2 keeps them for a while). */
    @WithDefault("10m")
    Duration terminatedRetention();

    /** Between SIGTERM and SIGKILL when a workload is killed. */
    @WithDefault("2s")
    Duration killGrace();

    /** Period of the scheduler tick that advances all VMs. */
    @WithDefault("100ms")
    Duration tickInterval();

    /** Where workloads get their working directories; default: a fresh temp dir, deleted on shutdown. */
    Optional<String> stateDir();

    /**
     * Don't run users' workloads: simulate their duration and exit code (see SimulatedWorkload). A VM tagged
     * {@code crossjobs-role=controller} still runs its user data (see SimulateModeRunner).
     */
    @WithDefault("false")
    boolean simulateWorkloads();

    /** Simulated run length when the user data sets no CROSSJOBS_SIM_DURATION_MS. */
    @WithDefault("1s")
    Duration simulateDefaultDuration();

    /**
     * Each VM's user data runs as a uid of its own where this server is root and has {@code setpriv} (see
     * WorkloadUsers), so a job cannot read the stack's state or another VM's files.
     */
    @WithDefault("true")
    boolean isolateWorkloads();

    /** Console output kept per instance, in characters. */
    @WithDefault("33554432")
    int consoleMaxChars();

    /**
     * Base URL of the per-instance metadata endpoints as VMs reach them (each VM gets
     * {@code MOCK_CLOUD_METADATA_URL=<base>/<instance id>}); default: this server's HTTP port on 127.0.0.1.
     */
    Optional<String> metadataBaseUrl();

    /** A JSON array of fault specs (as for POST /mock/faults) armed at startup; see README. */
    Optional<String> faultsFile();

    Aws aws();

    interface Aws {
        /** Region for requests without a SigV4 credential scope. */
        @WithDefault("us-east-1")
        String defaultRegion();

        /** ownerId in EC2 answers. */
        @WithDefault("123456789012")
        String accountId();

        /** Instance types accepted on top of the built-in list. */
        Optional<List<String>> extraInstanceTypes();

        /**
         * AMIs are regional: RunInstances and DescribeImages know only the built-in images of the request's region
         * (InvalidAMIID.NotFound otherwise). false: any AMI id boots anywhere, as an Ubuntu-like image.
         */
        @WithDefault("true")
        boolean regionalImages();

        /** RunInstances refuses an image whose architecture is not the instance type's. */
        @WithDefault("true")
        boolean imageArchitecture();

        /** EBS volumes at launch: at least their snapshot's size, and within their volume type's size range. */
        @WithDefault("true")
        boolean volumeSizes();

        /** RunInstances refuses user data over 16 KB (before base64). */
        @WithDefault("true")
        boolean userDataLimit();
    }
}

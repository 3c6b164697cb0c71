package io.crossjobs.mockcloud.gce;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code mock-cloud.gcp.*}: where the GCE front end is as strict as Compute Engine. Every check is on by default;
 * each can be turned off on its own (see the README's table for the figures and their sources).
 */
@ConfigMapping(prefix = "mock-cloud.gcp")
public interface GceConfig {

    /** instances.insert refuses an accelerator type its zone does not offer (built-in table plus the extras). */
    @WithDefault("true")
    boolean acceleratorTypesByZone();

    /** More accelerator types to offer, each {@code <zone>/<type>}, e.g. {@code us-central1-f/nvidia-tesla-t4}. */
    Optional<List<String>> extraAcceleratorTypes();

    /** guestAccelerators only on N1 machine types (other series take none, or carry their own). */
    @WithDefault("true")
    boolean gpuMachineSeries();

    /** A VM with GPUs (attached or carried by its machine type) must not live-migrate: onHostMaintenance TERMINATE. */
    @WithDefault("true")
    boolean gpuHostMaintenance();

    /** A spot or preemptible VM takes neither onHostMaintenance MIGRATE nor automaticRestart true. */
    @WithDefault("true")
    boolean spotScheduling();

    /** A boot disk may not be smaller than its image. */
    @WithDefault("true")
    boolean diskAtLeastImageSize();

    /** Metadata values up to 256 KB each and 512 KB in all, on insert and setMetadata. */
    @WithDefault("true")
    boolean metadataSizeLimits();

    /** A preempted VM with instanceTerminationAction DELETE is deleted (off: it stays TERMINATED like STOP). */
    @WithDefault("true")
    boolean deleteOnPreemption();

    /**
     * The serial port shows the startup script's output as the guest agent's script runner logs it: each line as
     * {@code <time> <host> google_metadata_script_runner[<pid>]: startup-script: <line>} (off: the bytes as printed).
     */
    @WithDefault("true")
    boolean serialPortGuestAgent();

    /** The serial port keeps only its last 1 MB (off: everything, up to {@code console-max-chars}). */
    @WithDefault("true")
    boolean serialPortBuffer();
}

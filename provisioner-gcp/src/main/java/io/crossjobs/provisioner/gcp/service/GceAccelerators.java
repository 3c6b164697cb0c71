package io.crossjobs.provisioner.gcp.service;

import com.google.cloud.compute.v1.AcceleratorConfig;
import io.crossjobs.events.Accelerator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * GPUs in a GCE launch, as a policy without I/O. N1 machine types take GPUs as {@code guestAccelerators}; the
 * accelerator-optimized series (A2, A3, A4, A4X, G2) come with theirs, so nothing is attached to them; no other
 * series takes GPUs (cloud.google.com/compute/docs/gpus/about-gpus). Either way a VM with GPUs cannot live-migrate
 * and must terminate on host maintenance.
 */
public final class GceAccelerators {
    /** The catalog's names (SkyPilot's) to GCE's accelerator types ({@code gcloud compute accelerator-types list}). */
    private static final Map<String, String> GCE_NAMES = Map.of(
            "T4", "nvidia-tesla-t4",
            "V100", "nvidia-tesla-v100",
            "P100", "nvidia-tesla-p100",
            "P4", "nvidia-tesla-p4",
            "K80", "nvidia-tesla-k80",
            "L4", "nvidia-l4",
            "A100", "nvidia-tesla-a100",
            "A100-80GB", "nvidia-a100-80gb");
    private static final Pattern CARRIES_GPUS = Pattern.compile("(a2|a3|a4|a4x|g2)-.*");
    /** Code of the launch error for an accelerator GCE has no type for (classified UNSUPPORTED for the cloud). */
    static final String UNKNOWN_ACCELERATOR = "UNKNOWN_ACCELERATOR";

    private GceAccelerators() { }

    /** The machine type is of an accelerator-optimized series: its GPUs come with it. */
    public static boolean carriesOwnGpus(String machineType) {
        return machineType != null && CARRIES_GPUS.matcher(machineType.toLowerCase(Locale.ROOT)).matches();
    }

    /** Whether the VM will have GPUs, attached or its machine type's own. */
    public static boolean hasGpus(String machineType, Accelerator accelerator) {
        return accelerator != null || carriesOwnGpus(machineType);
    }

    /** GCE's accelerator type for a catalog name, e.g. {@code nvidia-tesla-t4} for T4. */
    public static Optional<String> gceName(Accelerator accelerator) {
        return Optional.ofNullable(GCE_NAMES.get(accelerator.name()));
    }

    /**
     * The guestAccelerators to send: none without an accelerator or for a machine type that carries its own,
     * else {@code zones/<zone>/acceleratorTypes/<type>} with the count.
     *
     * @throws GceOperationException {@link #UNKNOWN_ACCELERATOR} for a name GCE has no type for
     */
    public static List<AcceleratorConfig> guestAccelerators(String zone, String machineType, Accelerator accelerator) {
        if (accelerator == null || carriesOwnGpus(machineType)) return List.of();
        String type = gceName(accelerator).orElseThrow(() -> new GceOperationException(UNKNOWN_ACCELERATOR,
                "no Compute Engine accelerator type is known for " + accelerator.name(), 400));
        return List.of(AcceleratorConfig.newBuilder().setAcceleratorType("zones/" + zone + "/acceleratorTypes/" + type)
                .setAcceleratorCount(accelerator.count()).build());
    }
}

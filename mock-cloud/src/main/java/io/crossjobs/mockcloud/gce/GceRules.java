package io.crossjobs.mockcloud.gce;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which of Compute Engine's refusals and behaviours the front end applies: all of them unless relaxed through
 * {@link GceConfig}. Plain values, so a test can build a front end with any mix.
 *
 * @param applied              the checks in force
 * @param extraAcceleratorTypes {@code <zone>/<type>} entries offered on top of the built-in table
 */
public record GceRules(Set<Check> applied, List<String> extraAcceleratorTypes) {

    /** One strict behaviour, named as its {@code mock-cloud.gcp.*} setting. */
    public enum Check {
        ACCELERATOR_TYPES_BY_ZONE, GPU_MACHINE_SERIES, GPU_HOST_MAINTENANCE, SPOT_SCHEDULING,
        DISK_AT_LEAST_IMAGE_SIZE, METADATA_SIZE_LIMITS, DELETE_ON_PREEMPTION, SERIAL_PORT_GUEST_AGENT,
        SERIAL_PORT_BUFFER
    }

    public GceRules {
        applied = applied.isEmpty() ? EnumSet.noneOf(Check.class) : EnumSet.copyOf(applied);
        extraAcceleratorTypes = List.copyOf(extraAcceleratorTypes);
    }

    /** Everything as Compute Engine does it, with the built-in accelerator table only. */
    public static GceRules strict() {
        return new GceRules(EnumSet.allOf(Check.class), List.of());
    }

    public static GceRules of(GceConfig config) {
        Set<Check> on = EnumSet.noneOf(Check.class);
        if (config.acceleratorTypesByZone()) on.add(Check.ACCELERATOR_TYPES_BY_ZONE);
        if (config.gpuMachineSeries()) on.add(Check.GPU_MACHINE_SERIES);
        if (config.gpuHostMaintenance()) on.add(Check.GPU_HOST_MAINTENANCE);
        if (config.spotScheduling()) on.add(Check.SPOT_SCHEDULING);
        if (config.diskAtLeastImageSize()) on.add(Check.DISK_AT_LEAST_IMAGE_SIZE);
        if (config.metadataSizeLimits()) on.add(Check.METADATA_SIZE_LIMITS);
        if (config.deleteOnPreemption()) on.add(Check.DELETE_ON_PREEMPTION);
        if (config.serialPortGuestAgent()) on.add(Check.SERIAL_PORT_GUEST_AGENT);
        if (config.serialPortBuffer()) on.add(Check.SERIAL_PORT_BUFFER);
        return new GceRules(on, config.extraAcceleratorTypes().orElse(List.of()));
    }

    public boolean applies(Check check) {
        return applied.contains(check);
    }

    /** The same rules without {@code check}. */
    public GceRules relax(Check check) {
        Set<Check> on = EnumSet.noneOf(Check.class);
        on.addAll(applied);
        on.remove(check);
        return new GceRules(on, extraAcceleratorTypes);
    }

    public GceRules withExtraAcceleratorTypes(List<String> extra) {
        return new GceRules(applied, extra);
    }
}

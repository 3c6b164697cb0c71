package io.crossjobs.events;

import java.util.List;

/**
 * What a task asks of a cloud, as SkyPilot's {@code resources}. Null means "any".
 * {@code cpus} and {@code memory} keep SkyPilot's notation: "4" exactly, "4+" at least.
 */
public record Resources(String cloud, String region, String zone, String instanceType,
                        String cpus, String memory, List<String> accelerators,
                        Boolean useSpot, Integer diskSizeGb) {

    public boolean spot() { return Boolean.TRUE.equals(useSpot); }
}

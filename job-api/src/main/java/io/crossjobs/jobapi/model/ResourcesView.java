package io.crossjobs.jobapi.model;

import io.crossjobs.events.Resources;

import java.util.List;

/** What the job asked for (responses are camelCase). */
public record ResourcesView(String cloud, String region, String zone, String instanceType, String cpus,
                            String memory, List<String> accelerators, boolean useSpot, Integer diskSize) {

    public static ResourcesView of(Resources r) {
        return new ResourcesView(r.cloud(), r.region(), r.zone(), r.instanceType(), r.cpus(), r.memory(),
                r.accelerators(), r.spot(), r.diskSizeGb());
    }
}

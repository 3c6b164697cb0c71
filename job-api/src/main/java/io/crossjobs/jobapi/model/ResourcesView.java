package io.crossjobs.jobapi.model;

import io.crossjobs.events.JobRecovery;
import io.crossjobs.events.Resources;
import io.crossjobs.events.TimeLimit;

import java.util.List;
import java.util.Map;

/** What the job asked for (responses are camelCase); {@code maxDuration} and {@code keepOnFailure} as {@code 1h30m}. */
public record ResourcesView(String cloud, String region, String zone, String instanceType, String cpus,
                            String memory, List<String> accelerators, boolean acceleratorsInOrder, boolean useSpot,
                            Integer diskSize, List<ResourcesView> anyOf, List<ResourcesView> ordered,
                            JobRecovery jobRecovery, Map<String, String> labels, String maxDuration,
                            String keepOnFailure) {

    public static ResourcesView of(Resources r) {
        return new ResourcesView(r.cloud(), r.region(), r.zone(), r.instanceType(), r.cpus(), r.memory(),
                r.accelerators(), r.acceleratorsInOrder(), r.spot(), r.diskSizeGb(),
                r.anyOf().stream().map(ResourcesView::of).toList(),
                r.ordered().stream().map(ResourcesView::of).toList(),
                r.recovery(), r.labels(),
                r.maxDurationSeconds() == null ? null : TimeLimit.text(r.maxDurationSeconds()),
                r.keepOnFailureSeconds() == null ? null : TimeLimit.text(r.keepOnFailureSeconds()));
    }
}

package io.crossjobs.events;

import java.time.Instant;
import java.util.List;

/**
 * A failed job's cluster kept for debugging ({@code resources.keep_on_failure}): {@code clusterName} on
 * {@code instanceIds} stays up until {@code until}, or until its owner releases it, and is terminated then.
 */
public record ClusterHold(Instant until, String clusterName, List<String> instanceIds) {
    public ClusterHold {
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }
}

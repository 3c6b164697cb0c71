package io.crossjobs.jobapi.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A failed job's cluster kept for debugging ({@code resources.keep_on_failure}): which cluster and instances, until
 * when, whether it is still kept and for how many seconds more, and what keeping it has cost so far (the placement's
 * price from the job's end until now, its release or its end). {@code releasedAt}: its owner ended it early.
 */
public record JobHoldView(String cluster, List<String> instanceIds, Instant until, boolean active, long secondsLeft,
                          double costSoFar, Instant releasedAt) {

    /** Null for a job whose cluster was not kept. */
    public static JobHoldView of(Job job, Instant now) {
        if (job.holdUntil == null) return null;
        Instant over = job.holdReleasedAt != null && job.holdReleasedAt.isBefore(job.holdUntil)
                ? job.holdReleasedAt : job.holdUntil;
        boolean active = now.isBefore(over);
        Instant billedTo = active ? now : over;
        double cost = 0;
        if (job.pricePerHour != null && job.endedAt != null && billedTo.isAfter(job.endedAt)) {
            // every node of the cluster is kept (quotaNodes: the job's nodes, its largest task's for a pipeline)
            cost = Math.round(job.pricePerHour * Math.max(1, job.quotaNodes)
                    * Duration.between(job.endedAt, billedTo).toMillis() / 3_600_000d * 1_000_000d) / 1_000_000d;
        }
        List<String> instances = job.holdInstanceIds == null || job.holdInstanceIds.isBlank() ? List.of()
                : Arrays.asList(job.holdInstanceIds.split(","));
        return new JobHoldView(job.holdCluster, instances, job.holdUntil, active,
                active ? Duration.between(now, over).toSeconds() : 0, cost, job.holdReleasedAt);
    }
}

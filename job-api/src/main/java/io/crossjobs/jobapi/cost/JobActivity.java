package io.crossjobs.jobapi.cost;

import java.time.Instant;
import java.util.Collection;
import java.util.Objects;

/**
 * Whether the controller has work, over every job (whoever asks): how many jobs are not finished, and when any job
 * last changed status (null when there is no job yet). The idle-controller advice is read from it, so a user who
 * sees only their own jobs gets the same advice as an admin.
 */
public record JobActivity(long liveJobs, Instant lastStatusChange) {

    public static JobActivity of(Collection<JobCostRow> jobs) {
        return new JobActivity(jobs.stream().filter(JobCostRow::live).count(),
                jobs.stream().map(JobCostRow::statusChangedAt).filter(Objects::nonNull).max(Instant::compareTo)
                        .orElse(null));
    }
}

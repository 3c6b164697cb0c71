package io.crossjobs.controller.service;

import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.events.TimeLimit;

import java.time.Duration;
import java.time.Instant;

/**
 * How a task's {@code max_duration} is enforced: each node stops the task itself when what is left of the limit runs
 * out (SIGTERM, then SIGKILL after {@code grace}); the controller ends a run that is still RUNNING {@code grace +
 * slack} after its deadline (its node never reported: hung, or unreachable), terminating its cluster. {@code slack}
 * covers what lies between the node's clock and the controller's: the node's boot before its script starts, the last
 * output shipped and the provisioner's next poll.
 */
public record TimeLimits(Duration grace, Duration slack) {
    /** SIGTERM to SIGKILL in 30 s, as Kubernetes' default termination grace period; 60 s of slack. */
    public static final TimeLimits DEFAULT = new TimeLimits(Duration.ofSeconds(30), Duration.ofSeconds(60));

    public TimeLimits {
        if (grace.isNegative() || slack.isNegative()) {
            throw new IllegalArgumentException("time-limit grace and slack must not be negative");
        }
    }

    /** The current task's limit for its next launch, with what its earlier attempts left of it; null: none. */
    public TimeLimit forLaunch(ManagedJob job) {
        Long limit = job.maxDurationSeconds();
        if (limit == null) return null;
        long left = Math.max(0, limit - job.taskRanMillis() / 1000);
        return new TimeLimit(limit, left, grace.toSeconds());
    }

    /** True when the job runs past its deadline by more than the node's grace and the slack. */
    public boolean overdue(ManagedJob job, Instant now) {
        return job.runDeadline() != null && now.isAfter(job.runDeadline().plus(grace).plus(slack));
    }
}

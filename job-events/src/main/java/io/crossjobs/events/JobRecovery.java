package io.crossjobs.events;

import java.util.List;

/**
 * SkyPilot's {@code resources.job_recovery}: how a job comes back after its cluster is lost or its run fails.
 *
 * @param strategy             EAGER_NEXT_REGION (default) or FAILOVER
 * @param maxRestartsOnErrors  how many times a run that exits non-zero is restarted (default 0)
 * @param recoverOnExitCodes   exit codes that always restart the run and do not count toward the limit
 * @param resetMaxDuration     each recovery or restart starts the task's {@code max_duration} afresh (default: the
 *                             limit counts the task's time RUNNING over all its attempts)
 */
public record JobRecovery(String strategy, int maxRestartsOnErrors, List<Integer> recoverOnExitCodes,
                          boolean resetMaxDuration) {
    public static final String EAGER_NEXT_REGION = "EAGER_NEXT_REGION";
    public static final String FAILOVER = "FAILOVER";
    public static final JobRecovery DEFAULT = new JobRecovery(EAGER_NEXT_REGION, 0, List.of(), false);

    public JobRecovery {
        strategy = strategy == null ? EAGER_NEXT_REGION : strategy;
        recoverOnExitCodes = recoverOnExitCodes == null ? List.of() : List.copyOf(recoverOnExitCodes);
    }

    /** The limit counted over all the task's attempts. */
    public JobRecovery(String strategy, int maxRestartsOnErrors, List<Integer> recoverOnExitCodes) {
        this(strategy, maxRestartsOnErrors, recoverOnExitCodes, false);
    }
}

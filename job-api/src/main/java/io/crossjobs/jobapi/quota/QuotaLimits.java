package io.crossjobs.jobapi.quota;

/**
 * What one user may hold at once: live (not terminal) jobs, nodes in one job, and live vCPUs, accelerators and
 * dollars per hour, summed over their live jobs.
 */
public record QuotaLimits(long liveJobs, long nodesPerJob, double liveVcpus, long liveAccelerators,
                          double liveUsdPerHour) {
}

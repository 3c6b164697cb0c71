package io.crossjobs.jobapi.quota;

/**
 * What one job counts against its owner's quotas while it is live: its nodes, and the vCPUs, accelerators and
 * dollars per hour of those nodes at its cheapest feasible placement (a pipeline runs one task at a time: each figure
 * is its largest task's). Once the job is placed, its dollars per hour are the placement's price times {@code nodes}.
 */
public record QuotaDemand(int nodes, double vcpus, int accelerators, double usdPerHour) {
}

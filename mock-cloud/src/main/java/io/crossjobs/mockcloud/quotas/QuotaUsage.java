package io.crossjobs.mockcloud.quotas;

/**
 * One quota of one cloud: its limit and what the VMs alive take from it.
 *
 * @param scope a region, or {@code global} for a quota over every region
 * @param name  the cloud's display name for the quota (AWS: "Running On-Demand G and VT instances")
 */
public record QuotaUsage(String cloud, String scope, String metric, String name, double limit, double usage) {
}

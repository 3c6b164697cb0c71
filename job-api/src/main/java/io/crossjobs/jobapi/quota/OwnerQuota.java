package io.crossjobs.jobapi.quota;

/**
 * One user's quotas in force and what their live jobs hold; {@code custom} when an admin set any of them (the others
 * are the defaults).
 */
public record OwnerQuota(String owner, QuotaLimits limits, QuotaUsage usage, boolean custom) {
}

package io.crossjobs.jobapi.quota;

/** What one user's live (not terminal) jobs hold now. */
public record QuotaUsage(long liveJobs, double liveVcpus, long liveAccelerators, double liveUsdPerHour) {

    public static final QuotaUsage NONE = new QuotaUsage(0, 0, 0, 0);

    /** This usage with {@code count} more jobs of {@code demand}. */
    public QuotaUsage plus(QuotaDemand demand, int count) {
        return new QuotaUsage(liveJobs + count, liveVcpus + demand.vcpus() * count,
                liveAccelerators + (long) demand.accelerators() * count, liveUsdPerHour + demand.usdPerHour() * count);
    }
}

package io.crossjobs.jobapi.quota;

import java.util.Optional;

/** Whether a submission fits its owner's quotas. No I/O. */
public final class Quotas {
    public static final String LIVE_JOBS = "live-jobs";
    public static final String NODES_PER_JOB = "nodes-per-job";
    public static final String LIVE_VCPUS = "live-vcpus";
    public static final String LIVE_ACCELERATORS = "live-accelerators";
    public static final String LIVE_USD_PER_HOUR = "live-usd-per-hour";

    /**
     * The first quota that {@code count} jobs of {@code demand} (an array's jobs all count) would take over its limit
     * on top of {@code usage}, or none. A figure the submission does not add to (a CPU-only job's accelerators) never
     * refuses it, even when the user is over that limit already (an admin lowered it).
     */
    public static Optional<QuotaRefusal> check(QuotaLimits limits, QuotaUsage usage, QuotaDemand demand, int count) {
        if (demand.nodes() > limits.nodesPerJob()) {
            return Optional.of(new QuotaRefusal(NODES_PER_JOB, limits.nodesPerJob(), null, demand.nodes()));
        }
        if (usage.liveJobs() + count > limits.liveJobs()) {
            return Optional.of(new QuotaRefusal(LIVE_JOBS, limits.liveJobs(), usage.liveJobs(), count));
        }
        double vcpus = demand.vcpus() * count;
        if (vcpus > 0 && usage.liveVcpus() + vcpus > limits.liveVcpus() + EPSILON) {
            return Optional.of(new QuotaRefusal(LIVE_VCPUS, limits.liveVcpus(), usage.liveVcpus(), vcpus));
        }
        long accelerators = (long) demand.accelerators() * count;
        if (accelerators > 0 && usage.liveAccelerators() + accelerators > limits.liveAccelerators()) {
            return Optional.of(new QuotaRefusal(LIVE_ACCELERATORS, limits.liveAccelerators(),
                    usage.liveAccelerators(), accelerators));
        }
        double usd = demand.usdPerHour() * count;
        if (usd > 0 && usage.liveUsdPerHour() + usd > limits.liveUsdPerHour() + EPSILON) {
            return Optional.of(new QuotaRefusal(LIVE_USD_PER_HOUR, limits.liveUsdPerHour(), usage.liveUsdPerHour(),
                    usd));
        }
        return Optional.empty();
    }

    /** Sums of prices in floating point: a sum that is the limit up to rounding is within it. */
    private static final double EPSILON = 1e-9;

    private Quotas() { }
}

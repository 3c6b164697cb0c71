package io.crossjobs.jobapi.quota;

/**
 * One user's quotas in force ({@code quota}), what their live jobs hold ({@code usage}), and whether an admin set
 * them ({@code custom}; otherwise the defaults).
 */
public record QuotaView(String owner, Figures quota, Figures usage, boolean custom) {

    /** The five quotas' figures, named as their settings. */
    public record Figures(Number liveJobs, Number nodesPerJob, Number liveVcpus, Number liveAccelerators,
                          Number liveUsdPerHour) { }

    public static QuotaView of(OwnerQuota q) {
        QuotaLimits l = q.limits();
        QuotaUsage u = q.usage();
        return new QuotaView(q.owner(),
                new Figures(l.liveJobs(), l.nodesPerJob(), l.liveVcpus(), l.liveAccelerators(), l.liveUsdPerHour()),
                new Figures(u.liveJobs(), null, round(u.liveVcpus()), u.liveAccelerators(), round(u.liveUsdPerHour())),
                q.custom());
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000d;
    }
}

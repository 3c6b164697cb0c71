package io.crossjobs.jobapi.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The quotas of every user an admin has not given their own ({@code PUT /admin/quotas/{owner}}). Admin tokens'
 * submissions are not limited, as they are not rate limited: they are the operators' (and the benchmark's).
 */
@ConfigMapping(prefix = "jobapi.quotas")
public interface QuotaConfig {

    Defaults defaults();

    interface Defaults {
        /** Jobs not yet terminal (PENDING to CANCELLING); every job of an array counts. */
        @WithDefault("1000")
        long liveJobs();

        /** Nodes of one job (its largest task's {@code num_nodes}). */
        @WithDefault("64")
        long nodesPerJob();

        /** vCPUs of the live jobs' nodes at their cheapest feasible placement. */
        @WithDefault("1024")
        double liveVcpus();

        /** Accelerators (GPUs, TPUs) of the live jobs' nodes. */
        @WithDefault("64")
        long liveAccelerators();

        /** Dollars per hour of the live jobs' nodes: the placement's price, or the cheapest feasible one's. */
        @WithDefault("100")
        double liveUsdPerHour();
    }

    default QuotaLimits defaultLimits() {
        Defaults d = defaults();
        return new QuotaLimits(d.liveJobs(), d.nodesPerJob(), d.liveVcpus(), d.liveAccelerators(), d.liveUsdPerHour());
    }
}

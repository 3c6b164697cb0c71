package io.crossjobs.mockcloud.quotas;

import java.util.List;
import java.util.function.ToDoubleBiFunction;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.SimulatedFault;

/** How one cloud counts vCPU and GPU quotas, and how it says a launch does not fit. */
interface CloudQuotaRules {

    Cloud cloud();

    /**
     * What one VM takes, quota by quota. {@code limit} gives a quota's current limit (scope, metric): on GCE a
     * spot VM takes preemptible quota only where that quota is set.
     */
    List<Draw> draws(QuotaSubject vm, ToDoubleBiFunction<String, String> limit);

    /** The mock account's limit when nothing is configured. */
    double defaultLimit(String metric);

    /** The quotas to list for a region (regional ones in that region, global ones once). */
    List<Draw> listed(String region);

    /** The cloud's display name for a metric (the metric itself where the cloud has no other). */
    default String name(String metric) {
        return metric;
    }

    /** The cloud's own refusal of the launch, as its front end renders faults. */
    SimulatedFault refusal(Shortfall shortfall);
}

package io.crossjobs.jobapi.quota;

import io.crossjobs.catalog.Offer;
import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.events.Placement;
import io.crossjobs.events.TaskSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job counts against its owner's quotas ({@link QuotaDemand}), from its tasks and the price catalog: each task
 * at its cheapest feasible placement, as the controller would place it. A task no offer can run counts its nodes
 * only (the controller fails it as FAILED_NO_RESOURCE without launching anything).
 */
@ApplicationScoped
public class QuotaDemands {
    private final Optimizer optimizer;
    /** vCPUs of each instance type, keyed {@code cloud/instanceType}. */
    private final Map<String, Double> vcpus = new HashMap<>();

    public QuotaDemands(Optimizer optimizer, PriceCatalog catalog) {
        this.optimizer = optimizer;
        for (Offer o : catalog.offers()) vcpus.putIfAbsent(o.cloud() + "/" + o.instanceType(), o.vcpus());
    }

    public QuotaDemand of(List<TaskSpec> tasks) {
        int nodes = 0;
        double vcpuMax = 0;
        int acceleratorMax = 0;
        double usdMax = 0;
        for (TaskSpec task : tasks) {
            int n = Math.max(1, task.numNodes());
            nodes = Math.max(nodes, n);
            Placement p = optimizer.plan(task.resources(), List.of()).cheapest().orElse(null);
            if (p == null) continue;
            vcpuMax = Math.max(vcpuMax, n * vcpus.getOrDefault(p.cloud() + "/" + p.instanceType(), 0d));
            acceleratorMax = Math.max(acceleratorMax, n * (p.accelerator() == null ? 0 : p.accelerator().count()));
            usdMax = Math.max(usdMax, n * p.pricePerHour());
        }
        return new QuotaDemand(nodes, vcpuMax, acceleratorMax, usdMax);
    }
}

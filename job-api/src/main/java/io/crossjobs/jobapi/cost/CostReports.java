package io.crossjobs.jobapi.cost;

import io.crossjobs.catalog.EgressPrices;
import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.controller.ControllerBilling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The cost report as a pure function: the jobs the caller may see, what every job is doing (for the idle
 * advice), the controller's VMs and {@code now} in; the report out. No I/O, no clock of its own.
 */
public final class CostReports {
    private final JobCosts jobCosts;
    private final ControllerCostSheet controller;
    private final StagingEgress egress;

    public CostReports(PriceCatalog catalog, Optimizer optimizer, EgressPrices egressPrices) {
        this.jobCosts = new JobCosts(catalog);
        this.controller = new ControllerCostSheet(catalog, optimizer);
        this.egress = new StagingEgress(egressPrices);
    }

    /**
     * {@code visible}: the caller's jobs (an admin: all), which make the job lines, owners, totals and the spot
     * advice; {@code tasks}: their pipelines by job id, for the egress of staging (a job missing there counts none).
     * {@code everyone}: all jobs' activity, {@code billing}: the controller's VMs (null when unknown: no controller
     * section). The controller's section and advice are the same for every caller.
     */
    public CostReport report(List<JobCostRow> visible, Map<Long, List<TaskSpec>> tasks, JobActivity everyone,
                             ControllerBilling billing, Instant now) {
        List<CostReport.JobCost> lines = visible.stream()
                .map(j -> JobCosts.line(j, egress.of(j, tasks.getOrDefault(j.id(), List.of())), now)).toList();
        List<CostReport.Suggestion> suggestions = new ArrayList<>();
        jobCosts.useSpot(visible, now).ifPresent(suggestions::add);
        CostReport.ControllerCost section = null;
        if (billing != null) {
            section = controller.section(billing, now);
            controller.idle(billing, everyone, now).ifPresent(suggestions::add);
            controller.placement(billing, section).ifPresent(suggestions::add);
        }
        return new CostReport(now, Money.round(lines.stream().mapToDouble(CostReport.JobCost::cost).sum()),
                JobCosts.egressCost(lines), lines, JobCosts.owners(lines), section, suggestions);
    }
}

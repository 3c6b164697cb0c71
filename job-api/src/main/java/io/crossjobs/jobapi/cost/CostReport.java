package io.crossjobs.jobapi.cost;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /cost}: what the caller's jobs (an admin: everyone's) cost so far, per job and per owner, what the
 * controller's VMs cost, and how to pay less. All USD, rounded to the micro-dollar.
 */
public record CostReport(Instant at, double totalJobCost, List<JobCost> jobs, List<OwnerCost> owners,
                         ControllerCost controller, List<Suggestion> suggestions) {

    public record JobCost(String id, String name, String owner, String status, String cloud, String region,
                          String instanceType, Boolean spot, Double pricePerHour, double cost) { }

    public record OwnerCost(String owner, int jobs, double cost) { }

    /**
     * The controller: where it is placed ({@code cloud}/{@code region}), its size as configured, the live VM's (or
     * the newest one's) zone, instance type and price; {@code cost} is every VM's lifetime × its price so far.
     */
    public record ControllerCost(String cloud, String region, String zone, String cpus, String memory,
                                 String instanceType, double usdPerHour, double usdPerDay, double cost,
                                 List<VmCost> vms, List<Period> periods) { }

    /** One controller VM: {@code endedAt} null while it lives; {@code hours} billed so far. */
    public record VmCost(String clusterName, int generation, String cloud, String region, String zone,
                         String instanceType, String instanceId, double usdPerHour, Instant launchedAt,
                         Instant endedAt, double hours, double cost) { }

    /** Consecutive VMs on one cloud/region: one placement of the controller; {@code to} null while one lives. */
    public record Period(String cloud, String region, Instant from, Instant to, int vms, double cost) { }

    /**
     * {@code kind}: USE_SPOT, IDLE_CONTROLLER or CONTROLLER_PLACEMENT. {@code savingUsd} is over the jobs so far for
     * USE_SPOT and per day for the controller's kinds.
     */
    public record Suggestion(String kind, String message, Double savingUsd, Integer savingPercent) { }
}

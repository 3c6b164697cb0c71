package io.crossjobs.jobapi.cost;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /cost}: what the caller's jobs (an admin: everyone's) cost so far, per job and per owner, what the
 * controller's VMs cost, and how to pay less. All USD, rounded to the micro-dollar. A job's {@code cost} is its
 * instances'; the egress of staging its files is apart ({@code egress}, {@code totalEgressCost}).
 */
public record CostReport(Instant at, double totalJobCost, double totalEgressCost, List<JobCost> jobs,
                         List<OwnerCost> owners, ControllerCost controller, List<Suggestion> suggestions) {

    public record JobCost(String id, String name, String owner, String status, String cloud, String region,
                          String instanceType, Boolean spot, Double pricePerHour, double cost, Egress egress) { }

    /**
     * The egress of staging a job's files ({@link StagingEgress}): over {@code launches} launches whose nodes came
     * up, the {@code bytes} its nodes fetched from another cloud than the one they ran on and their {@code cost} at
     * that cloud's internet egress price; {@code unsizedBuckets} bucket mounts from another cloud are not in
     * {@code bytes}, their size being unknown to job-api.
     */
    public record Egress(int launches, long bytes, double cost, int unsizedBuckets) { }

    public record OwnerCost(String owner, int jobs, double cost, double egressCost) { }

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

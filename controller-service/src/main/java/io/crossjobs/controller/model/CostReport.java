package io.crossjobs.controller.model;

import java.time.Instant;
import java.util.List;

/** {@code GET /cost}: what each job, each owner and the controller cost, and how to pay less. All USD. */
public record CostReport(Instant at, double totalJobCost, List<JobCost> jobs, List<OwnerCost> owners,
                         ControllerCost controller, List<Suggestion> suggestions) {

    public record JobCost(String id, String name, String owner, String status, String cloud, String region,
                          String instanceType, Boolean spot, Double pricePerHour, double cost) { }

    public record OwnerCost(String owner, int jobs, double cost) { }

    public record ControllerCost(String cloud, String region, String cpus, String memory, String instanceType,
                                 double usdPerHour, double usdPerDay) { }

    /** {@code kind}: USE_SPOT or IDLE_CONTROLLER. */
    public record Suggestion(String kind, String message, Double savingUsd, Integer savingPercent) { }
}

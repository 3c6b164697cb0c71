package io.crossjobs.jobapi.controller;

import java.time.Duration;
import java.time.Instant;

/**
 * One controller VM's billed lifetime: from its launch until the cloud reported it gone ({@code endedAt} null while
 * it lives), at the catalog's on-demand price of its instance type where it ran.
 */
public record ControllerVmPeriod(String clusterName, int generation, String cloud, String region, String zone,
                                 String instanceType, String instanceId, double pricePerHour, Instant launchedAt,
                                 Instant endedAt) {

    /** Hours billed up to {@code now} (or up to its end). */
    public double hours(Instant now) {
        Instant end = endedAt == null || endedAt.isAfter(now) ? now : endedAt;
        return end.isBefore(launchedAt) ? 0 : Duration.between(launchedAt, end).toMillis() / 3_600_000d;
    }

    public double cost(Instant now) { return pricePerHour * hours(now); }
}

package io.crossjobs.events;

/** Where one launch attempt runs and what it costs per hour. */
public record Placement(String cloud, String region, String zone, String instanceType, boolean spot,
                        double pricePerHour) {
}

package io.crossjobs.catalog;

import io.crossjobs.events.Accelerator;
import io.crossjobs.events.Placement;

/**
 * One row of the price catalog: an instance type in one zone with its shape and hourly prices (USD).
 * {@code accelerator} is null for CPU-only types; {@code spotPrice} is null where spot is not sold.
 */
public record Offer(String cloud, String region, String zone, String instanceType, double vcpus, double memoryGib,
                    Accelerator accelerator, double onDemandPrice, Double spotPrice) {

    public boolean sellsSpot() { return spotPrice != null; }

    public double price(boolean spot) { return spot ? spotPrice : onDemandPrice; }

    /** This offer as a launch's placement, each node with a root disk of {@code diskSizeGb} (null: the image's). */
    public Placement toPlacement(boolean spot, Integer diskSizeGb) {
        return Placement.builder().cloud(cloud).region(region).zone(zone).instanceType(instanceType).spot(spot)
                .pricePerHour(price(spot)).accelerator(accelerator).diskSizeGb(diskSizeGb).build();
    }
}

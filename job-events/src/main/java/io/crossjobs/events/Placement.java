package io.crossjobs.events;

/**
 * Where one launch attempt runs, on what, and what it costs per hour. {@code accelerator} is null for a
 * CPU-only placement; {@code diskSizeGb} is each node's root disk (null: the image's own size).
 */
public record Placement(String cloud, String region, String zone, String instanceType, boolean spot,
                        double pricePerHour, Accelerator accelerator, Integer diskSizeGb) {

    /** A CPU-only placement on the image's default disk. */
    public Placement(String cloud, String region, String zone, String instanceType, boolean spot,
                     double pricePerHour) {
        this(cloud, region, zone, instanceType, spot, pricePerHour, null, null);
    }

    public Placement withDiskSizeGb(Integer gb) {
        return new Placement(cloud, region, zone, instanceType, spot, pricePerHour, accelerator, gb);
    }
}

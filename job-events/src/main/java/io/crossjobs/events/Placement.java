package io.crossjobs.events;

/**
 * Where one launch attempt runs, on what, and what it costs per hour. {@code accelerator} is null for a
 * CPU-only placement; {@code diskSizeGb} is each node's root disk (null: the image's own size).
 *
 * <p>Built by name: {@code Placement.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
 * .instanceType("m6i.large").pricePerHour(0.096).build()}; the canonical constructor is the JSON codec's.
 */
public record Placement(String cloud, String region, String zone, String instanceType, boolean spot,
                        double pricePerHour, Accelerator accelerator, Integer diskSizeGb) {

    /** A placement to be named field by field; every field not set is null, false or 0. */
    public static Builder builder() {
        return new Builder();
    }

    public Placement withDiskSizeGb(Integer gb) {
        return new Placement(cloud, region, zone, instanceType, spot, pricePerHour, accelerator, gb);
    }

    /** One method per field, named as the field. */
    public static final class Builder {
        private String cloud;
        private String region;
        private String zone;
        private String instanceType;
        private boolean spot;
        private double pricePerHour;
        private Accelerator accelerator;
        private Integer diskSizeGb;

        private Builder() { }

        public Builder cloud(String cloud) { this.cloud = cloud; return this; }
        public Builder region(String region) { this.region = region; return this; }
        public Builder zone(String zone) { this.zone = zone; return this; }
        public Builder instanceType(String instanceType) { this.instanceType = instanceType; return this; }
        public Builder spot(boolean spot) { this.spot = spot; return this; }
        public Builder pricePerHour(double pricePerHour) { this.pricePerHour = pricePerHour; return this; }
        public Builder accelerator(Accelerator accelerator) { this.accelerator = accelerator; return this; }
        public Builder diskSizeGb(Integer diskSizeGb) { this.diskSizeGb = diskSizeGb; return this; }

        public Placement build() {
            return new Placement(cloud, region, zone, instanceType, spot, pricePerHour, accelerator, diskSizeGb);
        }
    }
}

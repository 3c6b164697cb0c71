package io.crossjobs.controller.model;

import java.util.Locale;

/** Where the controller runs: cloud, region and its size in SkyPilot's notation ({@code 4+}, {@code 16+}). */
public record ControllerPlacement(String cloud, String region, String cpus, String memory) {

    public static ControllerPlacement of(String cloud, String region, String cpus, String memory) {
        String c = cpus == null || cpus.isBlank() ? "4+" : cpus.strip();
        return new ControllerPlacement(cloud.strip().toLowerCase(Locale.ROOT), region.strip(), c,
                memory == null || memory.isBlank() ? derivedMemory(c) : memory.strip());
    }

    /** 4 GiB per vCPU, keeping the {@code +}. */
    static String derivedMemory(String cpus) {
        boolean atLeast = cpus.endsWith("+");
        double n = Double.parseDouble(atLeast ? cpus.substring(0, cpus.length() - 1) : cpus);
        long gib = Math.round(n * 4);
        return gib + (atLeast ? "+" : "");
    }

    public boolean sameAs(ControllerPlacement other) {
        return cloud.equals(other.cloud) && region.equals(other.region) && cpus.equals(other.cpus)
                && memory.equals(other.memory);
    }

    @Override
    public String toString() {
        return cloud + "/" + region + " cpus=" + cpus + " memory=" + memory;
    }
}

package io.crossjobs.jobapi.controller;

import java.util.List;

/**
 * What the controller costs: its size ({@code cpus}, {@code memory} as configured, SkyPilot's forms "4+", "16+"),
 * where it is placed now, and every VM it has had, oldest first. {@code cloud}/{@code region} are null before the
 * controller is first placed.
 */
public record ControllerBilling(String cpus, String memory, String cloud, String region,
                                List<ControllerVmPeriod> vms) {

    public ControllerBilling {
        vms = List.copyOf(vms);
    }
}

package io.crossjobs.jobapi.controller;

/** {@code jobs.controller.*} as configured: where the controller should live and how big it is. */
public record ConfiguredPlacement(String cloud, String region, String cpus, String memory, int replicas,
                                  String autostop) {

    public String describe() {
        return cloud + "/" + (region == null ? "(cheapest region)" : region) + " cpus=" + cpus + " memory=" + memory;
    }
}

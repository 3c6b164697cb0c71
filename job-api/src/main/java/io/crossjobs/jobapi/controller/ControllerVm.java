package io.crossjobs.jobapi.controller;

import java.time.Instant;

/** One launch of the controller: a VM, what the cloud and the controller process reported of it. */
public record ControllerVm(String clusterName, int generation, String cloud, String region, String zone,
                           String instanceType, double pricePerHour, String instanceId, ControllerVmState state,
                           String reason, Instant launchedAt, Instant runningAt, Instant servingAt,
                           Instant lastHeartbeatAt, String process, int assignedPartitions, Instant stoppingAt,
                           Instant endedAt) {

    public boolean at(String cloud, String region) {
        return this.cloud.equals(cloud) && this.region.equals(region);
    }

    /** The billed lifetime: from the launch until the cloud reported it gone; a refused launch bills nothing. */
    public ControllerVmPeriod period() {
        Instant end = state == ControllerVmState.FAILED ? launchedAt : endedAt;
        return new ControllerVmPeriod(clusterName, generation, cloud, region, zone, instanceType, instanceId,
                pricePerHour, launchedAt, end);
    }

    public String where() {
        return cloud + "/" + region + (zone == null ? "" : "/" + zone) + " " + instanceType;
    }
}

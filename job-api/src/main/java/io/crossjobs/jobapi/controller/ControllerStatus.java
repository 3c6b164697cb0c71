package io.crossjobs.jobapi.controller;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /controller}: the placement as configured and as it is. {@code effective} is the VM that serves (or,
 * while none does yet, the newest one on its way), null when no VM runs; {@code state} says which of NOT_RECORDED,
 * DISABLED, LAUNCHING, SERVING, MIGRATING, IDLE_STOPPED holds. {@code vms} lists every VM newest first,
 * {@code migrations} the completed and failed moves, {@code history} the keeper's newest entries.
 */
public record ControllerStatus(String id, ConfiguredPlacement configured, Effective effective, boolean mismatch,
                               String message, Instant since, String state, Target migration, List<ControllerVm> vms,
                               List<Migration> migrations, List<HistoryEntry> history) {

    /** Where the controller runs, read from its VM. */
    public record Effective(String cloud, String region, String zone, String instanceType, String instanceId,
                            boolean spot, double pricePerHour, Instant upSince, String clusterName, int generation,
                            String state, String cpus, String memory, String process, Instant lastHeartbeat,
                            int assignedPartitions) { }

    public record Target(String cloud, String region, Instant since) { }

    public record Where(String cloud, String region) { }

    public record Migration(Instant at, Where from, Where to, boolean completed, String message) { }
}

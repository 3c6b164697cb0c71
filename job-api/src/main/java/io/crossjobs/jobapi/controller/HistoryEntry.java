package io.crossjobs.jobapi.controller;

import java.time.Instant;

/**
 * One line of the controller's history. {@code kind}: see {@link ControllerKeeper}'s constants; {@code cloud}/
 * {@code region} where it happened, {@code fromCloud}/{@code fromRegion} where it came from (a migration, a
 * configured placement that differs from the effective one).
 */
public record HistoryEntry(Instant at, String kind, String message, String clusterName, String cloud, String region,
                           String fromCloud, String fromRegion) {

    public static HistoryEntry of(Instant at, String kind, String message) {
        return new HistoryEntry(at, kind, message, null, null, null, null, null);
    }

    public static HistoryEntry vm(Instant at, String kind, String message, ControllerVm vm) {
        return new HistoryEntry(at, kind, message, vm.clusterName(), vm.cloud(), vm.region(), null, null);
    }
}

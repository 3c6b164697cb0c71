package io.crossjobs.jobapi.controller;

import java.time.Instant;

/**
 * The controller's identity and the placement its VMs are launched in ({@code cloud}/{@code region}, sized by
 * {@code cpus}/{@code memory}); {@code targetCloud}/{@code targetRegion} while a migration is under way;
 * {@code idleStoppedAt} while autostop keeps it down.
 */
public record ControllerRecord(String controllerId, String cloud, String region, String cpus, String memory,
                               Instant createdAt, Instant since, String targetCloud, String targetRegion,
                               Instant targetSince, Instant idleStoppedAt, int nextGeneration) {

    public boolean migrating() { return targetCloud != null; }

    public String placement() { return cloud + "/" + region; }

    public String target() { return targetCloud + "/" + targetRegion; }
}

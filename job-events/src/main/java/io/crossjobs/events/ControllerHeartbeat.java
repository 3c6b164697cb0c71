package io.crossjobs.events;

import java.time.Instant;

/**
 * controller → its keeper (job-api), on {@link Topics#CONTROLLER_HEARTBEATS} every few seconds while the process
 * runs: which controller VM it is and whether it takes work. {@code ready} is true once the process has started
 * and its consumers joined the controller group; {@code assignedPartitions} counts the partitions of
 * job-requests and provision-events it holds right now (0 while another controller holds them all).
 * Keyed by the controller identity, like every event by its subject.
 */
public record ControllerHeartbeat(String controllerId, int generation, String clusterName, String process,
                                  boolean ready, int assignedPartitions, Instant startedAt, Instant at)
        implements JobEvent {

    @Override
    public String jobId() { return controllerId; }
}

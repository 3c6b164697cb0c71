package io.crossjobs.events;

import java.time.Instant;
import java.util.Objects;

/**
 * controller → its keeper (job-api), on {@link Topics#CONTROLLER_HEARTBEATS} every few seconds while the process
 * runs: which controller VM it is and whether it takes work. {@code ready} is true once the process has started
 * and its consumers joined the controller group; {@code assignedPartitions} counts the partitions of
 * job-requests and provision-events it holds right now (0 while another controller holds them all).
 * Keyed by the controller identity, like every event by its subject.
 *
 * <p>Built by name: {@code ControllerHeartbeat.of(controllerId).generation(2).ready(true)...build()};
 * the canonical constructor is the JSON codec's.
 */
public record ControllerHeartbeat(String controllerId, int generation, String clusterName, String process,
                                  boolean ready, int assignedPartitions, Instant startedAt, Instant at)
        implements JobEvent {

    @Override
    public String jobId() { return controllerId; }

    /** The heartbeat of controller {@code controllerId}; every field not set is null, false or 0. */
    public static Builder of(String controllerId) {
        return new Builder(controllerId);
    }

    /** One method per field, named as the field. */
    public static final class Builder {
        private final String controllerId;
        private int generation;
        private String clusterName;
        private String process;
        private boolean ready;
        private int assignedPartitions;
        private Instant startedAt;
        private Instant at;

        private Builder(String controllerId) {
            this.controllerId = Objects.requireNonNull(controllerId, "controllerId");
        }

        public Builder generation(int generation) { this.generation = generation; return this; }
        public Builder clusterName(String clusterName) { this.clusterName = clusterName; return this; }
        public Builder process(String process) { this.process = process; return this; }
        public Builder ready(boolean ready) { this.ready = ready; return this; }
        public Builder assignedPartitions(int assignedPartitions) {
            this.assignedPartitions = assignedPartitions;
            return this;
        }
        public Builder startedAt(Instant startedAt) { this.startedAt = startedAt; return this; }
        public Builder at(Instant at) { this.at = at; return this; }

        public ControllerHeartbeat build() {
            return new ControllerHeartbeat(controllerId, generation, clusterName, process, ready, assignedPartitions,
                    startedAt, at);
        }
    }
}

package io.crossjobs.controller.heartbeat;

import io.crossjobs.controller.config.ControllerIdentityConfig;
import io.crossjobs.events.ClusterRole;

import java.util.Optional;

/** Who this controller process is: the identity its keeper launched it under, and on which launch and cluster. */
public record ControllerIdentity(String id, int generation, String cluster) {

    public ControllerIdentity {
        if (!ClusterRole.isController(id)) {
            throw new IllegalArgumentException("a controller identity starts with '" + ClusterRole.CONTROLLER_ID_PREFIX
                    + "', not: " + id);
        }
    }

    /** Empty when no id is configured: a process started by hand, or a test. */
    public static Optional<ControllerIdentity> of(ControllerIdentityConfig config) {
        return config.id().filter(id -> !id.isBlank())
                .map(id -> new ControllerIdentity(id.strip(), config.generation(), config.cluster().orElse(null)));
    }

    @Override
    public String toString() {
        return id + " (generation " + generation + (cluster == null ? "" : ", cluster " + cluster) + ")";
    }
}

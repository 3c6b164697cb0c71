package io.crossjobs.jobapi.controller;

import io.crossjobs.events.Placement;

import java.util.List;

/** One thing the keeper does to the controller's VMs or record; {@link ControllerKeeperPolicy} decides them. */
public sealed interface KeeperAction {

    /** Launch a new controller VM there. */
    record Launch(Placement placement, String reason) implements KeeperAction { }

    /** Terminate a VM; {@code lost} when it stopped serving on its own rather than being retired. */
    record Stop(String clusterName, String reason, boolean lost) implements KeeperAction { }

    /** The VMs at the migration's target serve: the placement moves there, the old VMs are stopped. */
    record CompleteMigration(String newCluster, List<String> oldClusters) implements KeeperAction {
        public CompleteMigration {
            oldClusters = List.copyOf(oldClusters);
        }
    }

    /** The target could not be had: the migration ends and the controller stays where it is. */
    record AbortMigration(String reason) implements KeeperAction { }

    /** No live job for the autostop period: every VM is stopped until the next submission. */
    record IdleStop(String reason) implements KeeperAction { }

    /** A job arrived while stopped for idleness: the controller is launched again. */
    record IdleResume(String reason) implements KeeperAction { }

    /** Nothing in the catalog fits the controller's placement; said once per cause. */
    record CannotPlace(String reason) implements KeeperAction { }
}

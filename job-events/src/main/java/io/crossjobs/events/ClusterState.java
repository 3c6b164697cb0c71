package io.crossjobs.events;

/** The one state table every cloud's instance states map into. */
public enum ClusterState {
    /** Requested, booting, or running its setup. */
    PROVISIONING,
    /** All nodes up. */
    RUNNING,
    /** Being torn down. */
    TERMINATING,
    /** Gone (no instance left). */
    TERMINATED,
    /** Reclaimed by the cloud (spot interruption, eviction, or a node lost). */
    PREEMPTED
}

package io.crossjobs.provisioner.model;

/** The common state every cloud's instance states map into (SkyPilot's INIT / UP / gone). */
public enum NodeState {
    /** Requested or booting. */
    PROVISIONING,
    /** Up; its startup script runs. */
    RUNNING,
    /** Shutting down or stopping. */
    TERMINATING,
    /** Gone: terminated, or stopped (a stopped node runs nothing of ours). */
    TERMINATED;

    public boolean alive() { return this == PROVISIONING || this == RUNNING; }
}

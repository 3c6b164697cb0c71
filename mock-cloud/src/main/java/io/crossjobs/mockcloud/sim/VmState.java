package io.crossjobs.mockcloud.sim;

/**
 * Life cycle of a simulated VM: pending → running → shutting-down → terminated. Stopping and stopped are
 * part of the model so that front ends can map them, but nothing moves a VM there yet.
 */
public enum VmState {
    PENDING("pending"),
    RUNNING("running"),
    SHUTTING_DOWN("shutting-down"),
    TERMINATED("terminated"),
    STOPPING("stopping"),
    STOPPED("stopped");

    private final String label;

    VmState(String label) {
        this.label = label;
    }

    /** EC2-style lower-case name, also used by the admin API. */
    public String label() {
        return label;
    }

    /** Pending or running: the VM still costs money and may still run a workload. */
    public boolean alive() {
        return this == PENDING || this == RUNNING;
    }

    public boolean terminal() {
        return this == SHUTTING_DOWN || this == TERMINATED;
    }
}

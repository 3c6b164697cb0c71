package io.crossjobs.jobapi.controller;

/**
 * A controller VM's life as its keeper sees it: launched (LAUNCHING), the cloud reports it running (BOOTING), its
 * controller process heartbeats ready (SERVING), a terminate was sent (STOPPING), the cloud reports it gone (GONE),
 * or the cloud refused the launch (FAILED).
 */
public enum ControllerVmState {
    LAUNCHING, BOOTING, SERVING, STOPPING, GONE, FAILED;

    /** Counted as one of the controller's VMs: it serves or is on its way to. */
    public boolean active() { return this == LAUNCHING || this == BOOTING || this == SERVING; }

    /** The cloud may still have (and bill) it. */
    public boolean alive() { return active() || this == STOPPING; }
}

package io.crossjobs.mockcloud.sim;

import java.util.List;

/**
 * Decides whether a launch fits the account, given the VMs of its cloud that are alive (pending or running). The
 * simulator asks under its lock, after the launch's injected faults and before anything is made.
 */
@FunctionalInterface
public interface LaunchAdmission {
    /** Admits every launch. */
    LaunchAdmission ALL = (req, alive) -> { };

    /** @throws SimulatedFault the cloud's own error when the launch does not fit */
    void admit(LaunchRequest req, List<VmView> aliveInCloud);
}

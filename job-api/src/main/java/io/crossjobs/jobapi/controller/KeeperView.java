package io.crossjobs.jobapi.controller;

import java.time.Instant;
import java.util.List;

/**
 * What the keeper decides on: the controller, its VMs (every live one and the most recent others, newest first),
 * the number of live jobs and when a job last changed (null: never).
 */
public record KeeperView(ControllerRecord controller, List<ControllerVm> vms, long liveJobs,
                         Instant lastJobActivity) {

    public KeeperView {
        vms = List.copyOf(vms);
    }
}

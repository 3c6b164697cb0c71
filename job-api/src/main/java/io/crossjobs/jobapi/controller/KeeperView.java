package io.crossjobs.jobapi.controller;

import java.time.Instant;
import java.util.List;

/**
 * What the keeper decides on: the controller, its VMs (every live one and the most recent others, newest first),
 * the number of live jobs, when a job last changed (null: never), and since when this keeper has been listening to
 * the heartbeats and the provisioners' events (what went unheard before that is not silence).
 */
public record KeeperView(ControllerRecord controller, List<ControllerVm> vms, long liveJobs,
                         Instant lastJobActivity, Instant listeningSince) {

    public KeeperView {
        vms = List.copyOf(vms);
    }
}

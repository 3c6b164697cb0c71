package io.crossjobs.provisioner.gcp.service;

import com.google.cloud.compute.v1.Instance;
import io.crossjobs.provisioner.model.NodeState;

import java.util.Map;

/** GCE instance statuses in the common model, as a table (SkyPilot's mapping: stopped and suspended count as gone). */
public final class GceStateMapper {
    private static final Map<String, NodeState> STATES = Map.of(
            "PROVISIONING", NodeState.PROVISIONING,
            "STAGING", NodeState.PROVISIONING,
            "RUNNING", NodeState.RUNNING,
            "STOPPING", NodeState.TERMINATING,
            "SUSPENDING", NodeState.TERMINATING,
            "TERMINATED", NodeState.TERMINATED,
            "SUSPENDED", NodeState.TERMINATED);

    public static NodeState nodeState(Instance i) {
        return STATES.getOrDefault(i.getStatus(), NodeState.PROVISIONING);
    }

    public static boolean spot(Instance i) {
        return "SPOT".equals(i.getScheduling().getProvisioningModel()) || i.getScheduling().getPreemptible();
    }

    /**
     * A spot instance that is leaving may have been reclaimed: only then is the zone's
     * {@code compute.instances.preempted} event worth looking up (the instance itself does not say why it stops).
     */
    public static boolean mayBePreempted(Instance i) {
        return spot(i) && !nodeState(i).alive();
    }

    private GceStateMapper() { }
}

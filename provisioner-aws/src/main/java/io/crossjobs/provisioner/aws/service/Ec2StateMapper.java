package io.crossjobs.provisioner.aws.service;

import io.crossjobs.provisioner.model.NodeState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

import java.util.Map;

/** EC2 instance states in the common model, as a table (SkyPilot's mapping: stopping/stopped count as gone). */
public final class Ec2StateMapper {
    private static final Map<InstanceStateName, NodeState> STATES = Map.of(
            InstanceStateName.PENDING, NodeState.PROVISIONING,
            InstanceStateName.RUNNING, NodeState.RUNNING,
            InstanceStateName.SHUTTING_DOWN, NodeState.TERMINATING,
            InstanceStateName.STOPPING, NodeState.TERMINATING,
            InstanceStateName.TERMINATED, NodeState.TERMINATED,
            InstanceStateName.STOPPED, NodeState.TERMINATED);

    static final String SPOT_TERMINATION = "Server.SpotInstanceTermination";
    static final String SPOT_SHUTDOWN = "Server.SpotInstanceShutdown";
    static final String USER_INITIATED = "Client.UserInitiatedShutdown";

    public static NodeState nodeState(Instance i) {
        return STATES.getOrDefault(i.state().name(), NodeState.PROVISIONING);
    }

    /**
     * EC2 took the instance: its state reason says a spot interruption, or a spot instance is going away for a
     * reason other than our own terminate call.
     */
    public static boolean preempted(Instance i) {
        String reason = reasonCode(i);
        if (SPOT_TERMINATION.equals(reason) || SPOT_SHUTDOWN.equals(reason)) return true;
        boolean spot = i.instanceLifecycle() == InstanceLifecycleType.SPOT;
        return spot && !nodeState(i).alive() && reason != null && !USER_INITIATED.equals(reason);
    }

    public static String reasonCode(Instance i) {
        return i.stateReason() == null ? null : i.stateReason().code();
    }

    private Ec2StateMapper() { }
}

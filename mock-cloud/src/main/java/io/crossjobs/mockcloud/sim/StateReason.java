package io.crossjobs.mockcloud.sim;

/**
 * Why a VM is in its current state. {@code kind} is cloud-neutral, so each front end can render it its own
 * way; {@code code} and {@code message} are EC2's wording, which the EC2 front end returns as they are.
 */
public record StateReason(Kind kind, String code, String message) {

    public enum Kind { LAUNCHING, USER_TERMINATED, PREEMPTED }

    public static final StateReason PENDING = new StateReason(Kind.LAUNCHING, "pending", "pending");

    public static final StateReason USER_TERMINATED = new StateReason(Kind.USER_TERMINATED,
            "Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown");

    public static final StateReason SPOT_TERMINATION = new StateReason(Kind.PREEMPTED,
            "Server.SpotInstanceTermination", "Server.SpotInstanceTermination: Spot instance termination");
}

package io.crossjobs.provisioner.model;

/**
 * One instance as the cloud reports it, in the common model. {@code preempted} is the adapter's verdict that
 * the cloud itself took the instance away (spot interruption, eviction); {@code stateReason} is the cloud's raw
 * reason, kept for messages.
 */
public record CloudInstance(String instanceId, String jobId, int attempt, String clusterName, int nodeRank,
                            String region, String zone, String instanceType, boolean spot, String privateIp,
                            NodeState state, boolean preempted, String stateReason) {

    public ClusterKey cluster() { return new ClusterKey(jobId, attempt, clusterName); }
}

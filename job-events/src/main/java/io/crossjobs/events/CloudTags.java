package io.crossjobs.events;

/** Tag (label) keys a provisioner puts on every instance; the cloud is the provisioners' only database. */
public final class CloudTags {
    public static final String MANAGED_BY = "managed-by";
    public static final String MANAGED_BY_VALUE = "crossjobs";
    /**
     * The {@link DeploymentId} that made the instance; a provisioner only lists, reports and terminates its own
     * deployment's instances, and an instance without this tag is the default deployment's.
     */
    public static final String DEPLOYMENT = "crossjobs-deployment";
    public static final String JOB_ID = "crossjobs-job-id";
    public static final String CLUSTER = "crossjobs-cluster";
    public static final String ATTEMPT = "crossjobs-attempt";
    public static final String NODE_RANK = "crossjobs-node-rank";
    /** {@code job} or {@code controller} ({@link ClusterRole#tagValue()}): the controller's VMs are never a job's. */
    public static final String ROLE = "crossjobs-role";
    /**
     * Written after launch, once every node has a private IP: all nodes' addresses in rank order, separated by
     * single spaces (EC2 tag values allow no newline or comma). Each node reads it from its own metadata service.
     */
    public static final String NODE_IPS = "crossjobs-node-ips";

    private CloudTags() { }
}

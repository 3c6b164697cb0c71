package io.crossjobs.events;

/** Tag (label) keys a provisioner puts on every instance; the cloud is the provisioners' only database. */
public final class CloudTags {
    public static final String MANAGED_BY = "managed-by";
    public static final String MANAGED_BY_VALUE = "crossjobs";
    public static final String JOB_ID = "crossjobs-job-id";
    public static final String CLUSTER = "crossjobs-cluster";
    public static final String ATTEMPT = "crossjobs-attempt";
    public static final String NODE_RANK = "crossjobs-node-rank";

    private CloudTags() { }
}

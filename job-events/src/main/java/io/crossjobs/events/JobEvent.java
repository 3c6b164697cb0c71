package io.crossjobs.events;

/**
 * Every event on the line concerns one job; its id is the Kafka key and the CloudEvents subject. The controller's
 * own clusters and heartbeats use the controller identity in its place ({@link ClusterRole}), an account check its
 * check id.
 */
public sealed interface JobEvent permits JobSubmitted, CancelRequested, LaunchCluster, TerminateCluster,
        ClusterProgress, JobExited, ClusterPreempted, LaunchFailed, ClusterFound, LogChunk, JobStatusChanged,
        ControllerHeartbeat, CheckAccount, AccountChecked, OutputStored, ReleaseHoldRequested {

    String jobId();
}

package io.crossjobs.events;

/** Every event on the line concerns one job; its id is the Kafka key and the CloudEvents subject. */
public sealed interface JobEvent permits JobSubmitted, CancelRequested, LaunchCluster, TerminateCluster,
        ClusterProgress, JobExited, ClusterPreempted, LaunchFailed, ClusterFound, LogChunk, JobStatusChanged {

    String jobId();
}

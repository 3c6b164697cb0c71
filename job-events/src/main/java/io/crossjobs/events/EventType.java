package io.crossjobs.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** CloudEvents {@code type} of each event record. The schema version is part of the name. */
public enum EventType {
    JOB_SUBMITTED("crossjobs.job.submitted.v1", JobSubmitted.class),
    CANCEL_REQUESTED("crossjobs.job.cancel-requested.v1", CancelRequested.class),
    LAUNCH_CLUSTER("crossjobs.cluster.launch.v1", LaunchCluster.class),
    TERMINATE_CLUSTER("crossjobs.cluster.terminate.v1", TerminateCluster.class),
    CLUSTER_PROGRESS("crossjobs.cluster.progress.v1", ClusterProgress.class),
    JOB_EXITED("crossjobs.job.exited.v1", JobExited.class),
    CLUSTER_PREEMPTED("crossjobs.cluster.preempted.v1", ClusterPreempted.class),
    LAUNCH_FAILED("crossjobs.cluster.launch-failed.v1", LaunchFailed.class),
    CLUSTER_FOUND("crossjobs.cluster.found.v1", ClusterFound.class),
    LOG_CHUNK("crossjobs.job.log.v1", LogChunk.class),
    JOB_STATUS_CHANGED("crossjobs.job.status-changed.v1", JobStatusChanged.class),
    CONTROLLER_HEARTBEAT("crossjobs.controller.heartbeat.v1", ControllerHeartbeat.class),
    CHECK_ACCOUNT("crossjobs.account.check.v1", CheckAccount.class),
    ACCOUNT_CHECKED("crossjobs.account.checked.v1", AccountChecked.class),
    OUTPUT_STORED("crossjobs.job.output-stored.v1", OutputStored.class),
    RELEASE_HOLD_REQUESTED("crossjobs.job.release-hold-requested.v1", ReleaseHoldRequested.class);

    private static final Map<String, EventType> BY_TYPE = Arrays.stream(values())
            .collect(Collectors.toMap(EventType::ceType, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toMap(EventType::recordClass, Function.identity()));

    private final String ceType;
    private final Class<? extends JobEvent> recordClass;

    EventType(String ceType, Class<? extends JobEvent> recordClass) {
        this.ceType = ceType;
        this.recordClass = recordClass;
    }

    public String ceType() { return ceType; }

    public Class<? extends JobEvent> recordClass() { return recordClass; }

    public static Optional<EventType> ofCeType(String ceType) { return Optional.ofNullable(BY_TYPE.get(ceType)); }

    public static EventType of(JobEvent event) { return BY_CLASS.get(event.getClass()); }
}

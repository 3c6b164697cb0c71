package io.crossjobs.events;

/**
 * SmallRye channel names used in {@code @Incoming}/{@code @Outgoing}/{@code @Channel}; each service's
 * application.properties binds them to the topics in {@link Topics}.
 */
public final class Channels {
    public static final String JOB_REQUESTS_OUT = "job-requests-out";
    public static final String JOB_REQUESTS_IN = "job-requests-in";
    public static final String PROVISION_COMMANDS_OUT = "provision-commands-out";
    public static final String PROVISION_COMMANDS_IN = "provision-commands-in";
    public static final String PROVISION_EVENTS_OUT = "provision-events-out";
    public static final String PROVISION_EVENTS_IN = "provision-events-in";
    public static final String JOB_LOGS_OUT = "job-logs-out";
    public static final String JOB_LOGS_IN = "job-logs-in";
    public static final String JOB_STATUS_OUT = "job-status-out";
    public static final String JOB_STATUS_IN = "job-status-in";
    public static final String CONTROLLER_HEARTBEATS_OUT = "controller-heartbeats-out";
    public static final String CONTROLLER_HEARTBEATS_IN = "controller-heartbeats-in";
    /** provision-events as job-api's controller keeper reads them (its own consumer group). */
    public static final String CONTROLLER_EVENTS_IN = "controller-events-in";
    public static final String PARKED_IN = "parked-in";
    public static final String REPLAY_OUT = "replay-out";

    private Channels() { }
}

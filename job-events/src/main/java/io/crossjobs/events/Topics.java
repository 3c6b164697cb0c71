package io.crossjobs.events;

/**
 * Kafka topic names. Every record on every topic is keyed by job id (the controller's own records by its identity),
 * so one job's events stay in order.
 */
public final class Topics {
    /** job-api → controller: job submitted, cancel requested, an attempt's output stored. */
    public static final String JOB_REQUESTS = "job-requests";
    /** controller → provisioner of one cloud: launch and terminate commands. */
    public static final String PROVISION_COMMANDS_PREFIX = "provision-commands.";
    /** provisioners → controller: progress, exit, preemption, launch failure. */
    public static final String PROVISION_EVENTS = "provision-events";
    /** provisioners → job-api: the run's console output, then the exit that ends it. */
    public static final String JOB_LOGS = "job-logs";
    /** controller → anyone: every status change. */
    public static final String JOB_STATUS = "job-status";
    /** controller → its keeper in job-api: the controller process is alive and takes work (key = controller id). */
    public static final String CONTROLLER_HEARTBEATS = "controller-heartbeats";
    /**
     * Records a consumer could not handle, with the dead-letter headers of the consumer's failure strategy (reason,
     * original topic, partition and offset) and the original key, value and headers: listed by job-api, and their
     * jobs failed by the controller.
     */
    public static final String PARKED = "parked-events";

    public static String provisionCommands(String cloud) { return PROVISION_COMMANDS_PREFIX + cloud; }

    private Topics() { }
}

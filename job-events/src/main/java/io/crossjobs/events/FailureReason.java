package io.crossjobs.events;

/** Why a job ended in a failure status: a closed set, never a free string. */
public enum FailureReason {
    /** The run command exited non-zero (FAILED). */
    USER_CODE_FAILED,
    /** The task's max_duration ran out and it was stopped (FAILED). */
    MAX_DURATION_REACHED,
    /** The setup command exited non-zero (FAILED_SETUP). */
    SETUP_FAILED,
    /** The task is invalid or no cloud offers what it asks for (FAILED_PRECHECKS). */
    NO_FEASIBLE_RESOURCE,
    /** A cloud refused for a reason waiting cannot fix, e.g. credentials (FAILED_PRECHECKS). */
    CLOUD_REFUSED,
    /** Every launch attempt failed within the retry limits (FAILED_NO_RESOURCE). */
    LAUNCH_RETRIES_EXHAUSTED,
    /** The cluster was lost and could not be recovered. */
    CLUSTER_LOST,
    /** The controller hit an unexpected error (FAILED_CONTROLLER). */
    CONTROLLER_ERROR
}

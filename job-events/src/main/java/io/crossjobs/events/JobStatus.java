package io.crossjobs.events;

import java.util.EnumSet;
import java.util.Set;

/** SkyPilot's managed-job statuses. PENDING also covers backoff between launch attempts. */
public enum JobStatus {
    PENDING, STARTING, RUNNING, RECOVERING, CANCELLING,
    SUCCEEDED, CANCELLED, FAILED, FAILED_SETUP, FAILED_PRECHECKS, FAILED_NO_RESOURCE, FAILED_CONTROLLER;

    private static final Set<JobStatus> TERMINAL = EnumSet.of(SUCCEEDED, CANCELLED, FAILED, FAILED_SETUP,
            FAILED_PRECHECKS, FAILED_NO_RESOURCE, FAILED_CONTROLLER);
    private static final Set<JobStatus> FAILURE = EnumSet.of(FAILED, FAILED_SETUP, FAILED_PRECHECKS,
            FAILED_NO_RESOURCE, FAILED_CONTROLLER);

    public boolean isTerminal() { return TERMINAL.contains(this); }

    public boolean isFailure() { return FAILURE.contains(this); }

    public static Set<JobStatus> nonTerminal() { return EnumSet.complementOf(EnumSet.copyOf(TERMINAL)); }
}

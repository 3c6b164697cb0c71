package io.crossjobs.events;

import java.util.Locale;

/**
 * What a cluster is for: a managed job's attempt, or the jobs controller itself. Jobs have numeric ids; the
 * controller's clusters are launched under its identity, {@code controller-<id>}, so every service tells the two
 * apart by the key alone, and the provisioners tag each instance with its role ({@link CloudTags#ROLE}).
 */
public enum ClusterRole {
    JOB,
    CONTROLLER;

    /** The prefix of a controller identity, which no job id (a number) can have. */
    public static final String CONTROLLER_ID_PREFIX = "controller-";

    public static ClusterRole of(String jobId) {
        return jobId != null && jobId.startsWith(CONTROLLER_ID_PREFIX) ? CONTROLLER : JOB;
    }

    public static boolean isController(String jobId) { return of(jobId) == CONTROLLER; }

    /** The value of the {@link CloudTags#ROLE} tag. */
    public String tagValue() { return name().toLowerCase(Locale.ROOT); }
}

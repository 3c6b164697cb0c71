package io.crossjobs.controller.model;

/**
 * A failed job's debug hold ends: the job's row as it is after (no hold, the held time's cost added) and why, for the
 * log. Not a status change: the job stays as it ended; its cluster's TerminateCluster is among the decision's commands.
 */
public record HoldRelease(ManagedJob after, String reason) { }

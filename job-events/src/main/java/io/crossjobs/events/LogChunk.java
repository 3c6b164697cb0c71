package io.crossjobs.events;

/**
 * provisioner → job-api: console output of one node, starting at byte {@code offset} of that node's output.
 * The offset makes a re-shipped chunk (after a provisioner restart) recognisable as a duplicate.
 */
public record LogChunk(String jobId, int attempt, int nodeRank, long offset, String text) implements JobEvent {
}

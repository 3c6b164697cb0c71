package io.crossjobs.provisioner.service;

import java.time.Instant;

/** Console progress of one node: the next offset to read, whether its exit marker was read, when last read. */
public record NodeLog(long offset, boolean finished, Instant lastRead) {
    public static final NodeLog START = new NodeLog(0, false, Instant.EPOCH);
}

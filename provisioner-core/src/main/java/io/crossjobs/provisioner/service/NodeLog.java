package io.crossjobs.provisioner.service;

import java.time.Duration;
import java.time.Instant;

/**
 * Output progress of one node: the next offset to read, whether its exit marker was read, when it was last read,
 * and how many reads in a row found nothing new (a quiet node is read less often, see {@link #readDue}).
 */
public record NodeLog(long offset, boolean finished, Instant lastRead, int emptyReads) {
    public static final NodeLog START = new NodeLog(0, false, Instant.EPOCH, 0);

    /** The progress after a read at {@code now} that ended at {@code nextOffset}. */
    public NodeLog after(long nextOffset, boolean exitFound, Instant now) {
        return new NodeLog(nextOffset, exitFound, now, nextOffset == offset ? emptyReads + 1 : 0);
    }

    /**
     * Whether the node is due for a read: {@code interval} after the last read, doubled for each empty read since
     * output last came, up to {@code longest}. A node printing steadily is read every interval; a quiet one costs
     * one read per {@code longest}, and its exit is seen within that.
     */
    public boolean readDue(Instant now, Duration interval, Duration longest) {
        Duration wait = interval.multipliedBy(1L << Math.min(emptyReads, 16));
        if (wait.compareTo(longest) > 0) wait = longest;
        return !lastRead.plus(wait).isAfter(now);
    }
}

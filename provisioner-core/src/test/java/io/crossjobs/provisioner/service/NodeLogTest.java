package io.crossjobs.provisioner.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeLogTest {
    private static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration QUIET = Duration.ofSeconds(10);
    private final Instant t0 = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void aNodeThatPrintsIsReadEveryIntervalAndAQuietOneLessOftenUpToTheLongest() {
        NodeLog printing = NodeLog.START.after(100, false, t0);
        assertEquals(0, printing.emptyReads());
        assertFalse(printing.readDue(t0.plusMillis(1999), EVERY, QUIET));
        assertTrue(printing.readDue(t0.plusSeconds(2), EVERY, QUIET));

        NodeLog quiet = printing.after(100, false, t0);
        assertFalse(quiet.readDue(t0.plusSeconds(3), EVERY, QUIET), "one empty read: every 4 s");
        assertTrue(quiet.readDue(t0.plusSeconds(4), EVERY, QUIET));
        NodeLog quieter = quiet.after(100, false, t0).after(100, false, t0).after(100, false, t0);
        assertFalse(quieter.readDue(t0.plusSeconds(9), EVERY, QUIET));
        assertTrue(quieter.readDue(t0.plusSeconds(10), EVERY, QUIET), "never longer than the quiet interval");

        assertEquals(0, quieter.after(130, false, t0).emptyReads(), "output again: back to every interval");
        assertTrue(NodeLog.START.readDue(t0, EVERY, QUIET), "a node never read is due at once");
    }
}

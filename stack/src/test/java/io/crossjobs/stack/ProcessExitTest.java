package io.crossjobs.stack;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcessExitTest {
    private static final Instant AT = Instant.parse("2026-12-05T23:58:09Z");

    @Test
    void aSignalIsNamedFromTheExitCodeTheJdkReports() {
        assertEquals("killed by SIGKILL, exit code 137", new ProcessExit(AT, 137).describe());
        assertEquals("killed by SIGTERM, exit code 143", new ProcessExit(AT, 143).describe());
        assertEquals("killed by signal 10, exit code 138", new ProcessExit(AT, 138).describe());
        assertEquals("exit code 1", new ProcessExit(AT, 1).describe());
        assertEquals("exit code 128", new ProcessExit(AT, 128).describe());
    }

    @Test
    void theStateFileFormReadsBack() {
        ProcessExit exit = new ProcessExit(AT, 137);

        assertEquals("137@2026-12-05T23:58:09Z", exit.format());
        assertEquals(Optional.of(exit), ProcessExit.parse(exit.format()));
        assertEquals(Optional.empty(), ProcessExit.parse("137"));
        assertEquals(Optional.empty(), ProcessExit.parse("x@2026-12-05T23:58:09Z"));
    }
}

package io.crossjobs.mockcloud.gce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Serial port 1 as GCE serves a startup script's output: the guest agent's lines, the last 1 MB, byte offsets. */
class GceSerialPortTest {
    private static final Instant NOW = Instant.parse("2026-03-08T14:07:35Z");
    private static final String RUNNER = "Mar  8 14:07:35 vm-1 google_metadata_script_runner[1229]: ";

    private static GceSerialPort port(int bufferBytes) {
        return new GceSerialPort("vm-1", 1229, new GceSerialPort.Options(true, bufferBytes));
    }

    @Test
    void eachLineTheScriptPrintsIsTheRunnersLogLineWithTheKeyInFront() {
        GceSerialPort port = port(GceSerialPort.BUFFER_BYTES);
        String running = port.read(new GceSerialPort.Source("hello\r\nhalf", true, null, NOW), 0L).contents();
        assertEquals(RUNNER + "Starting startup scripts (version mock-cloud).\r\n"
                + RUNNER + "Found startup-script in metadata.\r\n"
                + RUNNER + "startup-script: hello\r\n", running, "an unfinished line waits");

        GceSerialPort.Window done = port.read(new GceSerialPort.Source("hello\r\nhalf line", true, 3, NOW), null);
        assertTrue(done.contents().endsWith(RUNNER + "startup-script: half line\r\n"
                + RUNNER + "Script \"startup-script\" failed with error: exit status 3\r\n"
                + RUNNER + "Finished running startup scripts.\r\n"), done.contents());
        assertEquals(done.next(), done.contents().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void onlyTheLastMegabyteIsKeptAndAnEarlierStartMovesToTheOldestByte() {
        GceSerialPort port = port(GceSerialPort.BUFFER_BYTES);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 30_000; i++) out.append("line ").append(i).append('\n');
        GceSerialPort.Window all = port.read(new GceSerialPort.Source(out.toString(), true, 0, NOW), 0L);
        long written = all.next();
        assertTrue(written > GceSerialPort.BUFFER_BYTES, "more than a megabyte went through: " + written);
        assertEquals(written - GceSerialPort.BUFFER_BYTES, all.start(), "start moved past what was dropped");
        assertEquals(GceSerialPort.BUFFER_BYTES, all.contents().getBytes(StandardCharsets.UTF_8).length);
        assertFalse(all.contents().contains("startup-script: line 0\r\n"));
        assertTrue(all.contents().endsWith("Finished running startup scripts.\r\n"));

        GceSerialPort.Window last = port.read(new GceSerialPort.Source(out.toString(), true, 0, NOW), -10L);
        assertEquals(written - 10, last.start());
        assertEquals("cripts.\r\n".length() + 1, last.contents().length());
        GceSerialPort.Window later = port.read(new GceSerialPort.Source(out.toString(), true, 0, NOW), written - 5);
        assertEquals(written - 5, later.start());
        assertEquals(written, later.next());
    }

    @Test
    void aLineLongerThanTheScannersLimitEndsWhatTheRunnerShows() {
        GceSerialPort port = port(GceSerialPort.BUFFER_BYTES);
        String console = "before\n" + "x".repeat(GceSerialPort.MAX_LINE_BYTES + 1) + "\nafter\n";
        String shown = port.read(new GceSerialPort.Source(console, true, 0, NOW), 0L).contents();
        assertTrue(shown.contains("startup-script: before\r\n"));
        assertTrue(shown.contains("error while communicating with \"startup-script\" script: bufio.Scanner: token too long"));
        assertFalse(shown.contains("after"));
    }

    @Test
    void relaxedThePortShowsTheBytesAsPrinted() {
        GceSerialPort raw = new GceSerialPort("vm-1", 1, new GceSerialPort.Options(false, Integer.MAX_VALUE));
        assertEquals("a\nb", raw.read(new GceSerialPort.Source("a\nb", true, null, NOW), 0L).contents());
    }
}

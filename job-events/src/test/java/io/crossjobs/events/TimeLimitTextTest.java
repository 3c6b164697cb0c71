package io.crossjobs.events;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code max_duration}'s forms read and written back, and the time-limit marker read and stripped. */
class TimeLimitTextTest {
    @Test
    void readsSecondsAndAmountsWithUnits() {
        assertEquals(90, TimeLimit.parseSeconds("90"));
        assertEquals(45, TimeLimit.parseSeconds("45s"));
        assertEquals(1800, TimeLimit.parseSeconds("30m"));
        assertEquals(7200, TimeLimit.parseSeconds(" 2H "));
        assertEquals(5400, TimeLimit.parseSeconds("1h30m"));
        assertEquals(7 * 86_400, TimeLimit.parseSeconds("7d"));
        for (String bad : new String[]{"", "2 hours", "1.5h", "-5", "h", "2h 30m", "1w", "9999999999"}) {
            assertEquals(-1, TimeLimit.parseSeconds(bad), bad);
        }
        assertEquals(-1, TimeLimit.parseSeconds(null));
    }

    @Test
    void writesTheShortestForm() {
        assertEquals("2h", TimeLimit.text(7200));
        assertEquals("1h30m", TimeLimit.text(5400));
        assertEquals("1m30s", TimeLimit.text(90));
        assertEquals("1d1s", TimeLimit.text(86_401));
        assertEquals("0s", TimeLimit.text(0));
        assertEquals("max_duration 10s", new TimeLimit(10, 10, 30).describe());
        assertThrows(IllegalArgumentException.class, () -> new TimeLimit(0, 0, 30));
    }

    @Test
    void theTimeLimitMarkerIsReadAndStrippedLikeTheOthers() {
        String nonce = "abcdefghijklmnop";
        String out = "step 9\ncrossjobs: max_duration 10s reached\n##crossjobs:time_limit-exit=124:" + nonce + "##\n";

        assertEquals(new ExitMarkers.Exit(RunPhase.TIME_LIMIT, 124), ExitMarkers.first(out, nonce).orElseThrow());
        assertEquals("step 9\ncrossjobs: max_duration 10s reached", ExitMarkers.strip(out));
    }
}

package io.crossjobs.cli.format;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {

    @Test
    void lengthsReadLikeAQueue() {
        assertEquals("0s", Durations.length(0));
        assertEquals("59s", Durations.length(59));
        assertEquals("2m 5s", Durations.length(125));
        assertEquals("1h 0m", Durations.length(3_600));
        assertEquals("3h 25m", Durations.length(3 * 3_600 + 25 * 60 + 9));
        assertEquals("2d 4h", Durations.length(2 * 86_400 + 4 * 3_600 + 1));
    }

    @Test
    void momentsReadAsAgo() {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        assertEquals("1 sec ago", Durations.ago(now.minusSeconds(1), now));
        assertEquals("42 secs ago", Durations.ago(now.minusSeconds(42), now));
        assertEquals("1 min ago", Durations.ago(now.minusSeconds(61), now));
        assertEquals("3 mins ago", Durations.ago(now.minusSeconds(3 * 60 + 59), now));
        assertEquals("2 hrs ago", Durations.ago(now.minusSeconds(2 * 3_600 + 5), now));
        assertEquals("1 day ago", Durations.ago(now.minusSeconds(86_400), now));
        // a server clock slightly ahead of ours is not "in the future"
        assertEquals("0 secs ago", Durations.ago(now.plusSeconds(3), now));
    }

    @Test
    void instantsFromTheApiReadToTheSecond() {
        Instant now = Instant.parse("2026-11-28T12:00:00Z");
        assertEquals("2026-11-28T10:05:00Z", Durations.instant("2026-11-28T10:05:00.999999Z"));
        assertEquals("not a time", Durations.instant("not a time"), "text that is not an instant stays as it is");
        assertEquals(null, Durations.parse(null));
        assertEquals("2026-11-28T09:58:00Z (2 hrs ago)", Durations.at("2026-11-28T09:58:00.123Z", now));
    }
}

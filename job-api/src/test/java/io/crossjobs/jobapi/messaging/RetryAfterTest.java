package io.crossjobs.jobapi.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void secondsWholeOrDecimalAndHttpDatesAreWaitsAnythingElseIsNone() {
        assertEquals(Optional.of(Duration.ofSeconds(120)), RetryAfter.parse("120", NOW));
        assertEquals(Optional.of(Duration.ofMillis(1250)), RetryAfter.parse(" 1.25 ", NOW), "Discord's fractions");
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryAfter.parse("Sun, 06 Dec 2026 10:01:30 GMT", NOW));
        for (String none : new String[] {null, "", "0", "-5", "soon", "NaN", "Infinity", "Sun, 06 Dec 2026 09:59:00 GMT"}) {
            assertEquals(Optional.empty(), RetryAfter.parse(none, NOW), String.valueOf(none));
        }
    }
}

package io.crossjobs.stack;

import io.crossjobs.stack.RestartPolicy.Decision;
import io.crossjobs.stack.RestartPolicy.Run;
import io.crossjobs.stack.RestartPolicy.Settings;
import io.crossjobs.stack.RestartPolicy.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartPolicyTest {
    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private final Settings settings = Settings.standard();

    /** A process that ran {@code lasted} each time and was started again at once, ending at {@code end}. */
    private static List<Run> runs(Instant end, Duration... lasted) {
        List<Run> runs = new ArrayList<>();
        Instant t = end;
        for (int i = lasted.length - 1; i >= 0; i--) {
            runs.add(0, new Run(t.minus(lasted[i]), t));
            t = t.minus(lasted[i]);
        }
        return runs;
    }

    private Decision decide(Instant now, List<Run> runs) {
        return new RestartPolicy(settings, Clock.fixed(now, ZoneOffset.UTC)).afterExit(runs);
    }

    @Test
    void aServiceThatRanForHoursIsStartedAgainAfterTheFirstDelay() {
        Decision d = decide(T0, runs(T0, Duration.ofHours(3)));

        assertEquals(Verdict.RESTART, d.verdict());
        assertEquals(1, d.attempt());
        assertEquals(Duration.ofSeconds(1), d.delay());
        assertTrue(d.reason().contains("180 min"), d.reason());
    }

    @Test
    void quickCrashesInARowDoubleTheDelay() {
        Duration quick = Duration.ofSeconds(5);
        assertEquals(Duration.ofSeconds(1), decide(T0, runs(T0, Duration.ofHours(1), quick)).delay());
        assertEquals(Duration.ofSeconds(2), decide(T0, runs(T0, Duration.ofHours(1), quick, quick)).delay());
        Decision third = decide(T0, runs(T0, Duration.ofHours(1), quick, quick, quick));
        assertEquals(Duration.ofSeconds(4), third.delay());
        assertEquals(3, third.attempt());
    }

    @Test
    void theDelayStopsGrowingAtTheMaximum() {
        Settings patient = new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1), 100,
                Duration.ofMinutes(5));
        Duration quick = Duration.ofSeconds(50);
        List<Run> history = runs(T0, quick, quick, quick, quick, quick, quick, quick);   // 1,2,4,...,64 → 30

        Decision d = new RestartPolicy(patient, Clock.fixed(T0, ZoneOffset.UTC)).afterExit(history);

        assertEquals(Verdict.RESTART, d.verdict());
        assertEquals(Duration.ofSeconds(30), d.delay());
    }

    @Test
    void aRunThatStayedUpStartsTheCountOver() {
        Duration quick = Duration.ofSeconds(5);
        Decision d = decide(T0, runs(T0, quick, quick, quick, Duration.ofMinutes(2)));

        assertEquals(Duration.ofSeconds(1), d.delay());
        assertEquals(1, d.attempt());
    }

    @Test
    void fiveQuickCrashesWithinTheWindowGiveUp() {
        Duration quick = Duration.ofSeconds(10);
        Decision d = decide(T0, runs(T0, quick, quick, quick, quick, quick));

        assertEquals(Verdict.GIVE_UP, d.verdict());
        assertEquals(5, d.attempt());
        assertTrue(d.reason().contains("5 exits within 60 s of a start, in the last 5 min"), d.reason());
    }

    @Test
    void quickCrashesOlderThanTheWindowDoNotCount() {
        Duration quick = Duration.ofSeconds(10);
        List<Run> old = runs(T0.minus(Duration.ofMinutes(20)), quick, quick, quick, quick);
        List<Run> history = new ArrayList<>(old);
        history.add(new Run(T0.minus(Duration.ofSeconds(30)), T0));

        Decision d = decide(T0, history);

        assertEquals(Verdict.RESTART, d.verdict(), d.reason());
    }

    @Test
    void noRunNoDecisionAndBadSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> decide(T0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofMinutes(1), 5, Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMinutes(1), 0, Duration.ofMinutes(5)));
    }
}

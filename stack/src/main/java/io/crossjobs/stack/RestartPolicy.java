package io.crossjobs.stack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether a process of the local stack that exited on its own is started again, and after how long: exponential
 * backoff from {@link Settings#firstDelay} doubling up to {@link Settings#maxDelay}; a run that stayed up
 * {@link Settings#stableAfter} or longer starts the count over; {@link Settings#maxQuickCrashes} quick crashes
 * within {@link Settings#crashWindow} mean the process cannot run here, and it is given up. A stop asked for (down,
 * Ctrl-C) never reaches this class: only exits the launcher did not cause do.
 */
final class RestartPolicy {
    /**
     * @param firstDelay      the wait before the first restart of a streak of quick crashes
     * @param maxDelay        the longest wait between restarts
     * @param stableAfter     a run at least this long was not a quick crash: the next restart waits firstDelay again
     * @param maxQuickCrashes this many quick crashes within crashWindow: give up
     * @param crashWindow     how far back quick crashes are counted
     */
    record Settings(Duration firstDelay, Duration maxDelay, Duration stableAfter, int maxQuickCrashes,
                    Duration crashWindow) {
        Settings {
            if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must be at least firstDelay, and neither negative");
            }
            if (maxQuickCrashes < 1) throw new IllegalArgumentException("maxQuickCrashes must be at least 1");
        }

        /** 1 s doubling to 30 s; up a minute is stable; 5 quick crashes in 5 minutes give up. */
        static Settings standard() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1), 5,
                    Duration.ofMinutes(5));
        }
    }

    /** One finished run of a process: when it started and when it was seen gone. */
    record Run(Instant started, Instant ended) {
        Duration lasted() { return Duration.between(started, ended); }
    }

    enum Verdict { RESTART, GIVE_UP }

    /**
     * @param attempt which restart of the current streak this is (1 after a stable run); for GIVE_UP, the number
     *                of quick crashes that decided it
     * @param delay   how long to wait before starting the process again (zero for GIVE_UP)
     * @param reason  the decision in words, for the launcher's line
     */
    record Decision(Verdict verdict, int attempt, Duration delay, String reason) {
        static Decision restartAfter(int attempt, Duration delay, String reason) {
            return new Decision(Verdict.RESTART, attempt, delay, reason);
        }

        static Decision giveUp(int quickCrashes, String reason) {
            return new Decision(Verdict.GIVE_UP, quickCrashes, Duration.ZERO, reason);
        }
    }

    private final Settings settings;
    private final Clock clock;

    RestartPolicy(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * What to do after the last of {@code runs} (oldest first, each ended by an exit the launcher did not cause)
     * ended.
     */
    Decision afterExit(List<Run> runs) {
        if (runs.isEmpty()) throw new IllegalArgumentException("no run has ended");
        Instant now = clock.instant();
        long recentQuickCrashes = runs.stream().filter(this::quick)
                .filter(r -> !r.ended().isBefore(now.minus(settings.crashWindow()))).count();
        if (recentQuickCrashes >= settings.maxQuickCrashes()) {
            return Decision.giveUp((int) recentQuickCrashes, recentQuickCrashes + " exits within "
                    + seconds(settings.stableAfter()) + " of a start, in the last " + seconds(settings.crashWindow()));
        }
        int streak = 0;
        for (int i = runs.size() - 1; i >= 0 && quick(runs.get(i)); i--) streak++;
        if (streak == 0) {
            return Decision.restartAfter(1, settings.firstDelay(),
                    "it had run " + seconds(runs.get(runs.size() - 1).lasted()));
        }
        return Decision.restartAfter(streak, backoff(streak), streak == 1 ? "it exited soon after its start"
                : streak + " exits in a row, each soon after its start");
    }

    private boolean quick(Run run) { return run.lasted().compareTo(settings.stableAfter()) < 0; }

    /** firstDelay × 2^(attempt − 1), at most maxDelay. */
    private Duration backoff(int attempt) {
        Duration delay = settings.firstDelay();
        for (int i = 1; i < attempt && delay.compareTo(settings.maxDelay()) < 0; i++) delay = delay.multipliedBy(2);
        return delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay;
    }

    private static String seconds(Duration d) {
        return d.toSeconds() >= 120 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}

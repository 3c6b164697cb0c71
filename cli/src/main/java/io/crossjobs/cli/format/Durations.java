package io.crossjobs.cli.format;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Human times as a queue shows them: "2m 5s" for a length, "3 mins ago" for a moment. */
public final class Durations {

    public static String length(long seconds) {
        if (seconds < 0) seconds = 0;
        long d = seconds / 86_400, h = seconds % 86_400 / 3_600, m = seconds % 3_600 / 60, s = seconds % 60;
        if (d > 0) return d + "d " + h + "h";
        if (h > 0) return h + "h " + m + "m";
        if (m > 0) return m + "m " + s + "s";
        return s + "s";
    }

    public static String ago(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).getSeconds());
        if (seconds < 60) return plural(seconds, "sec") + " ago";
        if (seconds < 3_600) return plural(seconds / 60, "min") + " ago";
        if (seconds < 86_400) return plural(seconds / 3_600, "hr") + " ago";
        return plural(seconds / 86_400, "day") + " ago";
    }

    /** An ISO instant from the API, to the second ({@code 2026-11-28T10:00:00Z}); text that is not one as it is. */
    public static String instant(String iso) {
        Instant t = parse(iso);
        return t == null ? iso : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** An ISO instant from the API, or null when it is missing or not one. */
    public static Instant parse(String iso) {
        if (iso == null || iso.isBlank()) return null;
        try {
            return Instant.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code 2026-11-28T10:00:00Z (2 hrs ago)}; just the text when it is not an instant. */
    public static String at(String iso, Instant now) {
        Instant t = parse(iso);
        return t == null ? iso : instant(iso) + " (" + ago(t, now) + ")";
    }

    private static String plural(long n, String unit) { return n + " " + unit + (n == 1 ? "" : "s"); }

    private Durations() { }
}

package io.crossjobs.controller.service;

import java.time.Duration;

/**
 * How long a job waits PENDING after a failed launch: {@code initial × multiplier^(failures-1)}, at most
 * {@code max}; and how long one launch episode (first launch until the cluster is up) may take in all.
 */
public record LaunchBackoff(Duration initial, double multiplier, Duration max, Duration launchTimeout) {
    public static final LaunchBackoff DEFAULT = new LaunchBackoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5),
            Duration.ofMinutes(30));

    public LaunchBackoff {
        if (initial.isNegative() || max.isNegative() || multiplier < 1) {
            throw new IllegalArgumentException("backoff must not shrink: initial=" + initial + " multiplier="
                    + multiplier + " max=" + max);
        }
    }

    /** The wait after the {@code failures}-th failed launch in a row (1-based). */
    public Duration delay(int failures) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, failures - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}

package io.crossjobs.jobapi.messaging;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An HTTP {@code Retry-After} header (RFC 9110, section 10.2.3): a number of seconds, or an HTTP date. Discord sends
 * seconds with a fraction (its rate-limit docs), so a decimal is read too. Anything else, or a time already past,
 * asks for no wait.
 */
final class RetryAfter {
    private RetryAfter() { }

    static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) return Optional.empty();
        String v = header.strip();
        try {
            double seconds = Double.parseDouble(v);
            if (seconds > 0 && seconds < Duration.ofDays(1).toSeconds()) {
                return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
            }
            return Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() || until.isZero() ? Optional.empty() : Optional.of(until);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}

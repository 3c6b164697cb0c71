package io.crossjobs.stack;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How one run of a process of the stack ended: when the launcher saw it gone, and its exit code (128 + n when
 * signal n ended it, as the JDK reports a signalled child on Linux).
 */
record ProcessExit(Instant at, int code) {
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 6, "SIGABRT", 9, "SIGKILL",
            11, "SIGSEGV", 15, "SIGTERM");

    /** E.g. "killed by SIGKILL, exit code 137" or "exit code 1". */
    String describe() {
        int signal = code - 128;
        if (signal > 0 && signal < 64) {
            return "killed by " + SIGNALS.getOrDefault(signal, "signal " + signal) + ", exit code " + code;
        }
        return "exit code " + code;
    }

    /** As the state file holds it: {@code CODE@INSTANT}. */
    String format() { return code + "@" + at; }

    static Optional<ProcessExit> parse(String value) {
        int at = value.indexOf('@');
        if (at < 0) return Optional.empty();
        try {
            return Optional.of(new ProcessExit(Instant.parse(value.substring(at + 1)),
                    Integer.parseInt(value.substring(0, at))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

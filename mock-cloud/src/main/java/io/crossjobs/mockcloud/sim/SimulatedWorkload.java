package io.crossjobs.mockcloud.sim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for user data without running it: the "run" lasts {@code CROSSJOBS_SIM_DURATION_MS} and ends with
 * {@code CROSSJOBS_SIM_EXIT_CODE}, both read from {@code export NAME=value} lines of the user data. The console
 * shows the exit markers the provisioner's real startup script would print.
 */
final class SimulatedWorkload implements Workload {
    static final String DURATION_VAR = "CROSSJOBS_SIM_DURATION_MS";
    static final String EXIT_CODE_VAR = "CROSSJOBS_SIM_EXIT_CODE";
    private static final Pattern EXPORT = Pattern.compile(
            "^\\s*export\\s+([A-Za-z_][A-Za-z0-9_]*)=(?:\"([^\"]*)\"|'([^']*)'|(\\S*))\\s*(?:#.*)?$",
            Pattern.MULTILINE);
    /** The per-launch nonce the real script signs its markers with (ExitMarkers), if the script has one. */
    private static final Pattern MARKER_NONCE = Pattern.compile("##crossjobs:run-exit=%d(:[A-Za-z0-9_-]{16,64})##");

    private final ConsoleBuffer console;
    private final String nonce;
    private final Instant endsAt;
    private final int exitCode;
    private Integer exited;

    SimulatedWorkload(ConsoleBuffer console, Instant endsAt, int exitCode) {
        this(console, endsAt, exitCode, "");
    }

    private SimulatedWorkload(ConsoleBuffer console, Instant endsAt, int exitCode, String nonce) {
        this.console = console;
        this.nonce = nonce;
        this.endsAt = endsAt;
        this.exitCode = exitCode;
    }

    static SimulatedWorkload start(byte[] userData, ConsoleBuffer console, Instant now, Duration defaultDuration) {
        String script = new String(userData, StandardCharsets.UTF_8);
        long durationMs = parseLong(exported(script, DURATION_VAR), defaultDuration.toMillis());
        int exit = (int) parseLong(exported(script, EXIT_CODE_VAR), 0);
        console.appendLine("[mock-cloud] simulated workload: runs " + durationMs + " ms, exits " + exit);
        Matcher signed = MARKER_NONCE.matcher(script);
        String nonce = signed.find() ? signed.group(1) : "";
        if (script.contains("crossjobs:setup-exit")) console.appendLine("##crossjobs:setup-exit=0" + nonce + "##");
        return new SimulatedWorkload(console, now.plusMillis(Math.max(0, durationMs)), exit, nonce);
    }

    /** The value of the last {@code export NAME=value} line for {@code name}, or null. */
    static String exported(String script, String name) {
        String value = null;
        Matcher m = EXPORT.matcher(script);
        while (m.find()) {
            if (!m.group(1).equals(name)) continue;
            value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
        }
        return value;
    }

    private static long parseLong(String s, long fallback) {
        if (s == null) return fallback;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public synchronized void poll(Instant now) {
        if (exited == null && !now.isBefore(endsAt)) {
            exited = exitCode;
            console.appendLine("##crossjobs:run-exit=" + exitCode + nonce + "##");
        }
    }

    @Override
    public synchronized void kill(Instant now) {
        if (exited == null) exited = 143;
    }

    @Override
    public synchronized void forceKill() {
        if (exited == null) exited = 137;
    }

    @Override
    public synchronized boolean isAlive() {
        return exited == null;
    }

    @Override
    public synchronized Integer exitCode() {
        return exited;
    }

    @Override
    public long pid() {
        return -1;
    }
}

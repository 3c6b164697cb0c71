package io.crossjobs.mockcloud.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for user data without running it: the "run" lasts {@code CROSSJOBS_SIM_DURATION_MS} and ends with
 * {@code CROSSJOBS_SIM_EXIT_CODE}, both read from {@code export NAME=value} lines of the user data. Its output is
 * the exit markers the provisioner's real startup script would print. They go to the console, unless the script
 * ships its output to object storage (it defines {@code crossjobs_ship} between the lines {@link #SHIP_BEGIN} and
 * {@link #SHIP_END}): then the workload ends only once that function, run for real in bash, has uploaded the
 * output, as the real script waits for its last upload. Shipping is crossjobs' own part, so it is not simulated.
 */
final class SimulatedWorkload implements Workload {
    static final String DURATION_VAR = "CROSSJOBS_SIM_DURATION_MS";
    static final String EXIT_CODE_VAR = "CROSSJOBS_SIM_EXIT_CODE";
    private static final Pattern EXPORT = Pattern.compile(
            "^\\s*export\\s+([A-Za-z_][A-Za-z0-9_]*)=(?:\"([^\"]*)\"|'([^']*)'|(\\S*))\\s*(?:#.*)?$",
            Pattern.MULTILINE);
    /** The per-launch nonce the real script signs its markers with (ExitMarkers), if the script has one. */
    private static final Pattern MARKER_NONCE = Pattern.compile("##crossjobs:run-exit=%d(:[A-Za-z0-9_-]{16,64})##");

    static final String SHIP_BEGIN = "# crossjobs-ship-function-begin";
    static final String SHIP_END = "# crossjobs-ship-function-end";
    private static final Duration SHIP_AGAIN_AFTER = Duration.ofSeconds(5);

    private final ConsoleBuffer console;
    private final String nonce;
    private final Instant endsAt;
    private final int exitCode;
    /** The script's definition of {@code crossjobs_ship}, or null when it prints to the console. */
    private final String shipFunction;
    private final StringBuilder output = new StringBuilder();
    private boolean ended;
    private Process shipping;
    private Path shippedFile;
    private Instant shipAgainAt = Instant.MIN;
    private Integer exited;

    SimulatedWorkload(ConsoleBuffer console, Instant endsAt, int exitCode) {
        this(console, endsAt, exitCode, "", null);
    }

    private SimulatedWorkload(ConsoleBuffer console, Instant endsAt, int exitCode, String nonce, String shipFunction) {
        this.console = console;
        this.nonce = nonce;
        this.endsAt = endsAt;
        this.exitCode = exitCode;
        this.shipFunction = shipFunction;
    }

    static SimulatedWorkload start(byte[] userData, ConsoleBuffer console, Instant now, Duration defaultDuration) {
        String script = new String(userData, StandardCharsets.UTF_8);
        long durationMs = parseLong(exported(script, DURATION_VAR), defaultDuration.toMillis());
        int exit = (int) parseLong(exported(script, EXIT_CODE_VAR), 0);
        console.appendLine("[mock-cloud] simulated workload: runs " + durationMs + " ms, exits " + exit);
        Matcher signed = MARKER_NONCE.matcher(script);
        String nonce = signed.find() ? signed.group(1) : "";
        SimulatedWorkload w = new SimulatedWorkload(console, now.plusMillis(Math.max(0, durationMs)), exit, nonce,
                shipFunction(script));
        if (script.contains("crossjobs:setup-exit")) w.print("##crossjobs:setup-exit=0" + nonce + "##");
        return w;
    }

    /** The lines between {@link #SHIP_BEGIN} and {@link #SHIP_END}, or null. */
    static String shipFunction(String script) {
        int begin = script.indexOf(SHIP_BEGIN + "\n");
        int end = script.indexOf(SHIP_END, begin + 1);
        if (begin < 0 || end < 0) return null;
        return script.substring(begin + SHIP_BEGIN.length() + 1, end);
    }

    private void print(String line) {
        if (shipFunction == null) console.appendLine(line);
        else output.append(line).append('\n');
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
        if (exited != null) return;
        if (!ended && !now.isBefore(endsAt)) {
            ended = true;
            print("##crossjobs:run-exit=" + exitCode + nonce + "##");
        }
        if (!ended) return;
        if (shipFunction == null) {
            exited = exitCode;
        } else if (shipping == null) {
            if (!now.isBefore(shipAgainAt)) startShipping();
        } else if (!shipping.isAlive()) {
            if (shipping.exitValue() == 0) {
                exited = exitCode;
                deleteShippedFile();
            } else {
                console.appendLine("crossjobs: shipping output from byte 0 failed; trying again in 5 s");
                shipAgainAt = now.plus(SHIP_AGAIN_AFTER);
            }
            shipping = null;
        }
    }

    /** Ships the whole output as one chunk at byte 0, as the real script's loop does for output this short. */
    private void startShipping() {
        try {
            if (shippedFile == null) {
                shippedFile = Files.createTempFile("simulated-output", ".txt");
                Files.writeString(shippedFile, output, StandardCharsets.UTF_8);
            }
            shipping = new ProcessBuilder("bash", "-c", shipFunction + "crossjobs_ship \"$1\" 0", "ship",
                    shippedFile.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            console.appendLine("crossjobs: shipping output failed to start: " + e.getMessage());
            shipping = null;
        }
    }

    private void deleteShippedFile() {
        try {
            if (shippedFile != null) Files.deleteIfExists(shippedFile);
        } catch (IOException ignored) {
            // a temp file left behind
        }
    }

    @Override
    public synchronized void kill(Instant now) {
        stopShipping();
        if (exited == null) exited = 143;
    }

    @Override
    public synchronized void forceKill() {
        stopShipping();
        if (exited == null) exited = 137;
    }

    private void stopShipping() {
        if (shipping != null) shipping.destroyForcibly();
        deleteShippedFile();
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

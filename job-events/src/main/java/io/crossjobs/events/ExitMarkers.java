package io.crossjobs.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines the startup script prints when setup fails or run ends: {@code ##crossjobs:setup-exit=N##} and
 * {@code ##crossjobs:run-exit=N##}, each alone on its line ({@code ##crossjobs:time_limit-exit=N##} when the task's time
 * limit stopped it). The provisioner reads them from the console, since
 * VMs never call back; whoever shows the console to a user strips them, as they are protocol, not output.
 *
 * <p>A run can print such a line too. So the startup script signs its markers with a per-launch nonce,
 * {@code ##crossjobs:run-exit=N:NONCE##}, that it never exports into the run's environment, and the
 * provisioner reads only markers carrying the nonce of that launch ({@link #first(String, String)}).
 */
public final class ExitMarkers {
    private static final Pattern MARKER =
            Pattern.compile("^##crossjobs:(setup|run|time_limit)-exit=(-?\\d{1,10})##\\r?$", Pattern.MULTILINE);
    /** A marker line with the line break the script prints before it, so stripping leaves the output as it was. */
    private static final Pattern PRINTED_MARKER =
            Pattern.compile("\\r?\\n?^##crossjobs:(setup|run|time_limit)-exit=-?\\d{1,10}(:[A-Za-z0-9_-]{16,64})?##\\r?(\\n|$)",
                    Pattern.MULTILINE);
    private static final Pattern NONCED_MARKER =
            Pattern.compile("^##crossjobs:(setup|run|time_limit)-exit=(-?\\d{1,10}):([A-Za-z0-9_-]{16,64})##\\r?$", Pattern.MULTILINE);
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    public record Exit(RunPhase phase, int exitCode) { }

    /** A printf format printing the phase's marker on a line of its own with the exit code as {@code %d}. */
    public static String printfFormat(RunPhase phase) {
        return "\\n##crossjobs:" + phase.name().toLowerCase(Locale.ROOT) + "-exit=%d##\\n";
    }

    /**
     * A printf format printing the phase's marker signed with {@code nonce} (16–64 characters of
     * {@code [A-Za-z0-9_-]}, so it needs no quoting), on a line of its own, the exit code as {@code %d}.
     */
    public static String printfFormat(RunPhase phase, String nonce) {
        requireNonce(nonce);
        return "\\n##crossjobs:" + phase.name().toLowerCase(Locale.ROOT) + "-exit=%d:" + nonce + "##\\n";
    }

    /**
     * The first marker line signed with {@code nonce}; unsigned markers and markers with another nonce (a run
     * printing one) are ignored.
     */
    public static Optional<Exit> first(String consoleText, String nonce) {
        byte[] expected = requireNonce(nonce).getBytes(StandardCharsets.US_ASCII);
        Matcher m = NONCED_MARKER.matcher(consoleText);
        while (m.find()) {
            if (!MessageDigest.isEqual(expected, m.group(3).getBytes(StandardCharsets.US_ASCII))) continue;
            try {
                RunPhase phase = RunPhase.valueOf(m.group(1).toUpperCase(Locale.ROOT));
                return Optional.of(new Exit(phase, Integer.parseInt(m.group(2))));
            } catch (NumberFormatException ignored) {
                // ten digits beyond int range: not one of ours
            }
        }
        return Optional.empty();
    }

    /** The first unsigned marker line in the text, if any (markers of scripts rendered without a nonce). */
    public static Optional<Exit> first(String consoleText) {
        Matcher m = MARKER.matcher(consoleText);
        while (m.find()) {
            try {
                RunPhase phase = RunPhase.valueOf(m.group(1).toUpperCase(Locale.ROOT));
                return Optional.of(new Exit(phase, Integer.parseInt(m.group(2))));
            } catch (NumberFormatException ignored) {
                // ten digits beyond int range: not one of ours
            }
        }
        return Optional.empty();
    }

    /** The console text without the marker lines, signed or not (and without the line break printed before each). */
    public static String strip(String consoleText) {
        return PRINTED_MARKER.matcher(consoleText).replaceAll("");
    }

    private static String requireNonce(String nonce) {
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("an exit-marker nonce is 16-64 characters of [A-Za-z0-9_-]");
        }
        return nonce;
    }

    private ExitMarkers() { }
}

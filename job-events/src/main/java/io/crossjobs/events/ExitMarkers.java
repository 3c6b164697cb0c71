package io.crossjobs.events;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines the startup script prints when setup fails or run ends: {@code ##crossjobs:setup-exit=N##} and
 * {@code ##crossjobs:run-exit=N##}, each alone on its line. The provisioner reads them from the console, since
 * VMs never call back; whoever shows the console to a user strips them, as they are protocol, not output.
 */
public final class ExitMarkers {
    private static final Pattern MARKER =
            Pattern.compile("^##crossjobs:(setup|run)-exit=(-?\\d{1,10})##\\r?$", Pattern.MULTILINE);
    /** A marker line with the line break the script prints before it, so stripping leaves the output as it was. */
    private static final Pattern PRINTED_MARKER =
            Pattern.compile("\\r?\\n?^##crossjobs:(setup|run)-exit=-?\\d{1,10}##\\r?(\\n|$)", Pattern.MULTILINE);

    public record Exit(RunPhase phase, int exitCode) { }

    /** A printf format printing the phase's marker on a line of its own with the exit code as {@code %d}. */
    public static String printfFormat(RunPhase phase) {
        return "\\n##crossjobs:" + phase.name().toLowerCase(Locale.ROOT) + "-exit=%d##\\n";
    }

    /** The first marker line in the text, if any. */
    public static Optional<Exit> first(String consoleText) {
        Matcher m = MARKER.matcher(consoleText);
        while (m.find()) {
            try {
                RunPhase phase = m.group(1).equals("setup") ? RunPhase.SETUP : RunPhase.RUN;
                return Optional.of(new Exit(phase, Integer.parseInt(m.group(2))));
            } catch (NumberFormatException ignored) {
                // ten digits beyond int range: not one of ours
            }
        }
        return Optional.empty();
    }

    /** The console text without the marker lines (and without the line break printed before each). */
    public static String strip(String consoleText) {
        return PRINTED_MARKER.matcher(consoleText).replaceAll("");
    }

    private ExitMarkers() { }
}

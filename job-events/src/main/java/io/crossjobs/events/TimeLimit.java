package io.crossjobs.events;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's {@code resources.max_duration} as it applies to one launch: the limit, what is left of it for this
 * attempt (earlier attempts of the task used the rest, unless the task's {@code job_recovery.reset_max_duration}
 * gives each attempt the whole limit), and the grace between asking the task to stop (SIGTERM) and killing it.
 * The node counts {@code leftSeconds} from its start, which is when the cluster is up and the job RUNNING.
 */
public record TimeLimit(long limitSeconds, long leftSeconds, long graceSeconds) {
    /** {@code 90}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 1d}, {@code 1h30m}: seconds, or amounts with units. */
    private static final Pattern TEXT = Pattern.compile("([0-9]{1,9})|(?:[0-9]{1,9}[smhd])+");
    private static final Pattern PART = Pattern.compile("([0-9]{1,9})([smhd])");

    public TimeLimit {
        if (limitSeconds < 1 || leftSeconds < 0 || graceSeconds < 0) {
            throw new IllegalArgumentException("a time limit is at least 1 s, with no negative part: " + limitSeconds
                    + "/" + leftSeconds + "/" + graceSeconds);
        }
    }

    /** {@code max_duration 2h}, as reasons and the node's message name the limit. */
    public String describe() {
        return "max_duration " + text(limitSeconds);
    }

    /**
     * The seconds {@code text} says ({@code 90}, {@code 45s}, {@code 2h}, {@code 1h30m}, {@code 1d}), or -1 when it is
     * none of those forms.
     */
    public static long parseSeconds(String text) {
        if (text == null) return -1;
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!TEXT.matcher(t).matches()) return -1;
        if (Character.isDigit(t.charAt(t.length() - 1))) return Long.parseLong(t);
        long seconds = 0;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long unit = switch (m.group(2)) {
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                default -> 86_400;
            };
            seconds += Long.parseLong(m.group(1)) * unit;
        }
        return seconds;
    }

    /** {@code 7200} → {@code 2h}, {@code 5400} → {@code 1h30m}, {@code 90} → {@code 1m30s}. */
    public static String text(long seconds) {
        if (seconds <= 0) return "0s";
        StringBuilder s = new StringBuilder();
        long rest = seconds;
        long[] units = {86_400, 3600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (rest >= units[i]) {
                s.append(rest / units[i]).append(names[i]);
                rest %= units[i];
            }
        }
        return s.toString();
    }
}

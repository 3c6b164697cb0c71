package io.crossjobs.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Keeps {@code --secret} values out of what the CLI prints. */
public final class SecretText {
    static final String SECRET_FLAG = "--secret";
    static final String REDACTED = "<redacted>";

    private SecretText() { }

    /** {@code text} with each of {@code values} (the empty one aside) replaced by {@code <redacted>}. */
    public static String redact(String text, Collection<String> values) {
        String result = text;
        for (String v : values) {
            if (!v.isEmpty()) result = result.replace(v, REDACTED);
        }
        return result;
    }

    /**
     * The command-line words that are, or may be, a secret's value: VALUE of {@code --secret NAME=VALUE} and
     * {@code --secret=NAME=VALUE}, and the word after {@code --secret NAME} (someone who typed
     * {@code --secret NAME VALUE} gets it back in picocli's "Unmatched argument" otherwise).
     */
    public static List<String> possibleValues(String[] args) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String given;
            if (args[i].equals(SECRET_FLAG) && i + 1 < args.length) {
                given = args[i + 1];
                if (given.indexOf('=') < 0 && i + 2 < args.length) values.add(args[i + 2]);
            } else if (args[i].startsWith(SECRET_FLAG + "=")) {
                given = args[i].substring(SECRET_FLAG.length() + 1);
            } else {
                continue;
            }
            int eq = given.indexOf('=');
            if (eq >= 0) values.add(given.substring(eq + 1));
        }
        return values;
    }
}

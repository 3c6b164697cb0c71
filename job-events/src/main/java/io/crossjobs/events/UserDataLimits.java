package io.crossjobs.events;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The largest startup script each cloud takes at launch, in bytes of the script as written (before any base64):
 * EC2 user data 16 KB raw; a GCE metadata value ({@code startup-script}) 256 KB; Azure {@code customData}
 * 64 KB (65,535 bytes). Sources in mock-cloud's README, which enforces the same figures.
 */
public final class UserDataLimits {
    private static final Map<String, Integer> BYTES = Map.of(
            "aws", 16 * 1024,
            "gcp", 256 * 1024,
            "azure", 65_535);

    /** The limit of {@code cloud}, empty for a cloud without a known one. */
    public static Optional<Integer> of(String cloud) {
        return cloud == null ? Optional.empty() : Optional.ofNullable(BYTES.get(cloud.toLowerCase(Locale.ROOT)));
    }

    public static int bytes(String script) {
        return script.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Why {@code script} cannot be {@code cloud}'s user data, or empty when it fits. */
    public static Optional<String> exceeded(String cloud, String script) {
        int size = bytes(script);
        return of(cloud).filter(limit -> size > limit).map(limit -> "the startup script is " + size + " bytes; "
                + cloud + " takes at most " + limit + " bytes of " + name(cloud));
    }

    private static String name(String cloud) {
        return switch (cloud.toLowerCase(Locale.ROOT)) {
            case "aws" -> "EC2 user data";
            case "gcp" -> "a GCE metadata value (startup-script)";
            case "azure" -> "Azure customData";
            default -> "user data";
        };
    }

    private UserDataLimits() { }
}

package io.crossjobs.mockcloud.sim;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/** The clouds the simulator stands in for; each front end speaks one of them. */
public enum Cloud {
    AWS("aws"),
    GCP("gcp"),
    AZURE("azure");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String id;

    Cloud(String id) {
        this.id = id;
    }

    /** Lower-case name used in the admin API and in fault rules: aws, gcp, azure. */
    public String id() {
        return id;
    }

    /** A fresh instance id in this cloud's own format. */
    String newInstanceId() {
        return switch (this) {
            case AWS -> "i-" + randomHex(17);
            // GCE instance ids are unsigned 64-bit decimals; 19 digits is typical
            case GCP -> Long.toUnsignedString((RANDOM.nextLong() >>> 1) | 1_000_000_000_000_000_000L);
            // Azure's vmId is a GUID
            case AZURE -> UUID.randomUUID().toString();
        };
    }

    /** A fresh id for one launch request's group of instances (an EC2 reservation, for example). */
    String newGroupId() {
        return switch (this) {
            case AWS -> "r-" + randomHex(17);
            case GCP -> "operation-" + System.currentTimeMillis() + "-" + randomHex(13);
            case AZURE -> UUID.randomUUID().toString();
        };
    }

    static String randomHex(int digits) {
        byte[] bytes = new byte[(digits + 1) / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, digits);
    }

    public static Cloud of(String id) {
        if (id == null) throw new IllegalArgumentException("cloud is required");
        for (Cloud c : values()) {
            if (c.id.equals(id.toLowerCase(Locale.ROOT))) return c;
        }
        throw new IllegalArgumentException("unknown cloud '" + id + "' (expected aws, gcp or azure)");
    }
}

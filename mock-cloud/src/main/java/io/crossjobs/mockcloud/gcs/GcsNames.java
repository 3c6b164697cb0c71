package io.crossjobs.mockcloud.gcs;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Cloud Storage's naming rules (cloud.google.com/storage/docs/buckets#naming, .../objects#naming), as checks that
 * return the refusal or null.
 */
final class GcsNames {
    /** Lowercase letters, digits, dashes, underscores and dots, a letter or digit at both ends. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]*[a-z0-9]");
    private static final Pattern IP_V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    static final int MAX_OBJECT_NAME_BYTES = 1024;

    private GcsNames() { }

    /** Why {@code name} cannot be a bucket's, or null: 3-63 characters (222 with dots, each part at most 63). */
    static String bucketRefusal(String name) {
        if (name == null || !BUCKET.matcher(name).matches()) return "Invalid bucket name: '" + name + "'";
        boolean dotted = name.indexOf('.') >= 0;
        if (name.length() < 3 || name.length() > (dotted ? 222 : 63)) return "Invalid bucket name: '" + name + "'";
        for (String part : name.split("\\.")) {
            if (part.isEmpty() || part.length() > 63) return "Invalid bucket name: '" + name + "'";
        }
        if (IP_V4.matcher(name).matches() || name.startsWith("goog") || name.contains("google")) {
            return "Invalid bucket name: '" + name + "'";
        }
        return null;
    }

    /** Why {@code name} cannot be an object's, or null: 1-1024 bytes of UTF-8, no CR or LF, not "." or "..". */
    static String objectRefusal(String name) {
        if (name == null || name.isEmpty()) return "Object name is required.";
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_OBJECT_NAME_BYTES) {
            return "The maximum object length is " + MAX_OBJECT_NAME_BYTES + " characters, but got a name with "
                    + bytes + " characters.";
        }
        if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || name.equals(".") || name.equals("..")
                || name.startsWith(".well-known/acme-challenge/")) {
            return "Invalid object name: '" + name + "'";
        }
        return null;
    }
}

package io.crossjobs.events;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object-storage URIs users write ({@code s3://bucket/key}, {@code gs://bucket/key},
 * {@code https://<account>.blob.core.windows.net/<container>/key}) and the cloud each belongs to, whose provisioner
 * alone holds the credentials to read or sign for it.
 */
public final class StorageUris {
    private static final Pattern S3 = Pattern.compile("s3://([^/]+)(?:/(.*))?");
    private static final Pattern GCS = Pattern.compile("gs://([^/]+)(?:/(.*))?");
    private static final Pattern BLOB =
            Pattern.compile("https://([a-z0-9]{3,24})\\.blob\\.core\\.windows\\.net/([^/]+)(?:/(.*))?");

    /** A parsed URI: its cloud, its bucket (Azure: {@code account/container}) and the key or prefix within it. */
    public record Location(String cloud, String bucket, String key) {
        /** The URI of {@code childKey} in the same bucket. */
        public String uriOf(String childKey) {
            return switch (cloud) {
                case "aws" -> "s3://" + bucket + "/" + childKey;
                case "gcp" -> "gs://" + bucket + "/" + childKey;
                default -> {
                    String[] accountContainer = bucket.split("/", 2);
                    yield "https://" + accountContainer[0] + ".blob.core.windows.net/" + accountContainer[1] + "/"
                            + childKey;
                }
            };
        }
    }

    /** The location {@code uri} names, or empty when it is none of the three forms. */
    public static Optional<Location> parse(String uri) {
        if (uri == null) return Optional.empty();
        Matcher m = S3.matcher(uri);
        if (m.matches()) return Optional.of(new Location("aws", m.group(1), orEmpty(m.group(2))));
        m = GCS.matcher(uri);
        if (m.matches()) return Optional.of(new Location("gcp", m.group(1), orEmpty(m.group(2))));
        m = BLOB.matcher(uri);
        if (m.matches()) {
            return Optional.of(new Location("azure", m.group(1) + "/" + m.group(2), orEmpty(m.group(3))));
        }
        return Optional.empty();
    }

    /** The cloud of {@code uri}, or empty when it is not an object-storage URI of the three clouds. */
    public static Optional<String> cloudOf(String uri) {
        return parse(uri).map(Location::cloud);
    }

    /** Whether {@code uri} looks like a URI of some scheme (so not a local path): {@code scheme://...}. */
    public static boolean isUri(String value) {
        if (value == null || !value.contains("://")) return false;
        try {
            return URI.create(value).getScheme() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private StorageUris() { }
}

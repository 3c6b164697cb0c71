package io.crossjobs.mockcloud.s3;

import java.util.List;
import java.util.regex.Pattern;

/**
 * S3's rules for general purpose bucket names (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
 * 3 to 63 characters; lower-case letters, digits, dots and hyphens; a letter or digit first and last; no two
 * adjacent dots; not an IP address; none of the reserved prefixes and suffixes.
 */
final class BucketNames {
    private static final Pattern CHARS = Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$");
    private static final Pattern IP = Pattern.compile("^\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$");
    private static final List<String> PREFIXES = List.of("xn--", "sthree-", "amzn-s3-demo-");
    private static final List<String> SUFFIXES = List.of("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3");

    private BucketNames() { }

    static boolean valid(String name) {
        if (name == null || !CHARS.matcher(name).matches() || name.contains("..") || IP.matcher(name).matches()) {
            return false;
        }
        return PREFIXES.stream().noneMatch(name::startsWith) && SUFFIXES.stream().noneMatch(name::endsWith);
    }
}

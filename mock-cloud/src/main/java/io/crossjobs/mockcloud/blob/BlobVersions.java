package io.crossjobs.mockcloud.blob;

import java.util.regex.Pattern;

/**
 * Storage service versions ({@code x-ms-version}, a SAS's {@code sv}) are dates, so they compare as text. The front
 * end serves versions from 2015-02-21 on, the first with append blobs (learn.microsoft.com/rest/api/storageservices/
 * append-block).
 */
final class BlobVersions {
    static final String OLDEST = "2015-02-21";
    /** From this version on an Append Block may carry 100 MiB instead of 4 MiB (same page). */
    static final String LARGE_APPEND_BLOCKS = "2022-11-02";
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private BlobVersions() { }

    static boolean wellFormed(String version) {
        return version != null && DATE.matcher(version).matches();
    }

    static boolean atLeast(String version, String other) {
        return version.compareTo(other) >= 0;
    }
}

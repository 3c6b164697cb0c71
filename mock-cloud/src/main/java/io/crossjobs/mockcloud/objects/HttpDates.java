package io.crossjobs.mockcloud.objects;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** HTTP dates as the storage services send them (RFC 9110 IMF-fixdate). */
public final class HttpDates {
    /**
     * A two-digit day ({@code Sat, 05 Dec 2026 ...}), as S3, GCS and Azure send it: SDK parsers refuse the one-digit
     * day of Java's RFC_1123_DATE_TIME.
     */
    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() { }
}

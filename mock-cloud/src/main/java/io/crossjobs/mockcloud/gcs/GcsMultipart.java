package io.crossjobs.mockcloud.gcs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/related} upload body (RFC 2387) as the JSON API takes it for {@code uploadType=multipart}:
 * exactly two parts, the object's JSON resource first, its data second.
 */
final class GcsMultipart {
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    /** The two parts: the resource's JSON bytes, and the data with its own Content-Type (null when none). */
    record Related(byte[] metadata, String mediaType, byte[] media) { }

    private GcsMultipart() { }

    static Related related(String contentType, byte[] body) {
        Matcher m = BOUNDARY.matcher(String.valueOf(contentType));
        if (!String.valueOf(contentType).toLowerCase(Locale.ROOT).startsWith("multipart/related") || !m.find()) {
            throw GcsJsonError.invalid("Invalid multipart request: Content-Type must be multipart/related with a boundary.");
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        int first = indexOf(body, delimiter, 0);
        int second = first < 0 ? -1 : indexOf(body, delimiter, first + delimiter.length);
        int closing = second < 0 ? -1 : indexOf(body, delimiter, second + delimiter.length);
        if (closing < 0) throw GcsJsonError.invalid("Invalid multipart request with 0 mime parts.");
        Part meta = part(body, first + delimiter.length, second);
        Part media = part(body, second + delimiter.length, closing);
        return new Related(meta.content(), media.contentType(), media.content());
    }

    private record Part(String contentType, byte[] content) { }

    /** The part between two delimiters: its headers, a blank line, its content, then the CRLF before the next. */
    private static Part part(byte[] body, int from, int to) {
        byte[] crlfcrlf = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int headersEnd = indexOf(body, crlfcrlf, from);
        if (headersEnd < 0 || headersEnd > to) throw GcsJsonError.invalid("Invalid multipart request: a part has no headers.");
        String headers = new String(body, from, headersEnd - from, StandardCharsets.ISO_8859_1);
        String type = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Type")) {
                type = line.substring(colon + 1).trim();
            }
        }
        int end = to;
        if (end >= 2 && body[end - 2] == '\r' && body[end - 1] == '\n') end -= 2;
        return new Part(type, Arrays.copyOfRange(body, headersEnd + crlfcrlf.length, Math.max(end, headersEnd + 4)));
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}

package io.crossjobs.mockcloud.blob;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request to the Blob front end as received: the raw path (Shared Key signs it as sent), the decoded query in
 * request order, the headers, and the body already written to a file.
 *
 * @param headers case-insensitive; repeated headers joined with ","
 * @param body    the body's file, or null (also while the checks before the body run)
 * @param https   whether it came over TLS (a SAS with {@code spr=https} refuses plain http)
 * @param remote  the client's IP address, for a SAS's {@code sip}
 */
record BlobRequest(String method, String rawPath, List<Map.Entry<String, String>> query, Map<String, String> headers,
                   Path body, boolean https, String remote) {

    static Map<String, String> headerMap() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }

    BlobRequest withBody(Path file) {
        return new BlobRequest(method, rawPath, query, headers, file, https, remote);
    }

    String header(String name) {
        return headers.get(name);
    }

    /** The first value of a query parameter (names compared as sent), or null. */
    String param(String name) {
        for (Map.Entry<String, String> e : query) {
            if (e.getKey().equals(name)) return e.getValue();
        }
        return null;
    }

    boolean has(String name) {
        return param(name) != null;
    }

    /** The service version the request asks for: {@code x-ms-version}, else a SAS's {@code sv}; null without. */
    String version() {
        String v = header("x-ms-version");
        return v != null ? v.trim() : param("sv");
    }
}

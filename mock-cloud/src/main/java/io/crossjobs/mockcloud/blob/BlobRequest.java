package io.crossjobs.mockcloud.blob;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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

    static List<Map.Entry<String, String>> parseQuery(String rawQuery) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(Map.entry(decode(name), decode(value)));
        }
        return out;
    }

    /**
     * %XX decoding as UTF-8; a {@code +} stays a plus, as Azure Storage decodes query values (its SDKs send a
     * literal plus, in a SAS signature for one, as %2B).
     */
    static String decode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b;
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                } else {
                    b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

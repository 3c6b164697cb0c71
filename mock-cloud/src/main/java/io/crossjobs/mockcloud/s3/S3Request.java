package io.crossjobs.mockcloud.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request to the S3 front end, as received: the raw path and query (SigV4 signs them as sent), headers,
 * and the body already written to a file.
 *
 * @param query   decoded name/value pairs in request order (a name without {@code =} has the value "")
 * @param headers case-insensitive; repeated headers joined with ","
 * @param body    the raw body (possibly aws-chunked), or null
 * @param form    a multipart/form-data POST's fields (case-insensitive names), or null
 * @param file    a form POST's file part, or null
 */
record S3Request(String method, String rawPath, List<Map.Entry<String, String>> query, Map<String, String> headers,
                 Path body, Map<String, String> form, FormFile file) {

    /** A form POST's file part, written to {@code path}. */
    record FormFile(String fieldName, String fileName, String contentType, Path path) { }

    static Map<String, String> headerMap() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }

    String header(String name) {
        return headers.get(name);
    }

    /** The first value of a query parameter, or null. */
    String param(String name) {
        for (Map.Entry<String, String> e : query) {
            if (e.getKey().equals(name)) return e.getValue();
        }
        return null;
    }

    boolean has(String name) {
        return param(name) != null;
    }

    static List<Map.Entry<String, String>> parseQuery(String rawQuery) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(Map.entry(percentDecode(name), percentDecode(value)));
        }
        return out;
    }

    /** %XX decoding as UTF-8; {@code +} stays a plus (SigV4 clients encode a space as %20). */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

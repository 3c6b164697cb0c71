package io.crossjobs.mockcloud.s3;

import java.nio.file.Path;
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
}

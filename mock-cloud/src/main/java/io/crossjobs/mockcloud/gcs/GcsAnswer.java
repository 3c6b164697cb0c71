package io.crossjobs.mockcloud.gcs;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.crossjobs.mockcloud.objects.ObjectReader;

/**
 * One answer of the front end: a status, headers, and either a small body or {@code length} bytes from
 * {@code offset} of an open object (streamed by the server, which closes the reader).
 */
record GcsAnswer(int status, Map<String, String> headers, byte[] body, ObjectReader reader, long offset,
                 long length) {

    static GcsAnswer json(int status, String json) {
        return new GcsAnswer(status, Map.of("Content-Type", "application/json; charset=UTF-8"),
                json.getBytes(StandardCharsets.UTF_8), null, 0, 0);
    }

    static GcsAnswer empty(int status) {
        return new GcsAnswer(status, Map.of(), new byte[0], null, 0, 0);
    }

    static GcsAnswer bytes(int status, Map<String, String> headers, ObjectReader reader, long offset, long length) {
        return new GcsAnswer(status, headers, null, reader, offset, length);
    }
}

package io.crossjobs.mockcloud.s3;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.crossjobs.mockcloud.objects.ObjectReader;

/**
 * An answer: status, headers and either a small body or a range of an open object to stream (the server closes
 * the reader).
 */
record S3Response(int status, Map<String, String> headers, byte[] body, ObjectReader reader, long offset,
                  long length) {

    static S3Response xml(int status, String xml) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/xml");
        return new S3Response(status, h, xml.getBytes(StandardCharsets.UTF_8), null, 0, 0);
    }

    static S3Response empty(int status) {
        return new S3Response(status, new LinkedHashMap<>(), new byte[0], null, 0, 0);
    }

    static S3Response stream(int status, ObjectReader reader, long offset, long length) {
        return new S3Response(status, new LinkedHashMap<>(), null, reader, offset, length);
    }

    S3Response header(String name, String value) {
        if (value != null) headers.put(name, value);
        return this;
    }
}

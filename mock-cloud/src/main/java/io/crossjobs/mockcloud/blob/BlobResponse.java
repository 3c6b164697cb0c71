package io.crossjobs.mockcloud.blob;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.crossjobs.mockcloud.objects.ObjectReader;

/**
 * An answer: status, headers and either a small body or a range of an open blob to stream (the server closes the
 * reader).
 */
record BlobResponse(int status, Map<String, String> headers, byte[] body, ObjectReader reader, long offset,
                    long length) {

    static BlobResponse xml(int status, String xml) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/xml");
        return new BlobResponse(status, h, xml.getBytes(StandardCharsets.UTF_8), null, 0, 0);
    }

    static BlobResponse empty(int status) {
        return new BlobResponse(status, new LinkedHashMap<>(), new byte[0], null, 0, 0);
    }

    /** Headers only, answering a HEAD: {@code Content-Length} is the blob's, no body follows. */
    static BlobResponse head(long contentLength) {
        return new BlobResponse(200, new LinkedHashMap<>(), null, null, 0, contentLength);
    }

    static BlobResponse stream(int status, ObjectReader reader, long offset, long length) {
        return new BlobResponse(status, new LinkedHashMap<>(), null, reader, offset, length);
    }

    BlobResponse header(String name, Object value) {
        if (value != null) headers.put(name, value.toString());
        return this;
    }
}

package io.crossjobs.events;

import java.util.Map;

/**
 * One pre-signed object request: whoever holds it may send exactly this request until it expires, with no cloud
 * credential. {@code headers} are the ones the signature covers or the cloud requires (Azure's {@code x-ms-blob-type}
 * on a PUT), which the sender must add.
 */
public record SignedRequest(String method, String url, Map<String, String> headers) {

    public SignedRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}

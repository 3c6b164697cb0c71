package io.crossjobs.mockcloud.s3;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Plain HTTP to the S3 listener, as a VM without the SDK (curl) would send it. */
final class RawS3 {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private RawS3() { }

    /** An SDK-like SigV4 header for the region (the mock checks its form and scope, not its signature). */
    static Map<String, String> headerAuth(String region) {
        return Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=mock/20260101/" + region
                        + "/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00",
                "x-amz-content-sha256", "UNSIGNED-PAYLOAD", "x-amz-date", "20260101T000000Z");
    }

    static HttpResponse<String> send(S3Server server, String method, String pathAndQuery, Map<String, String> headers) {
        return send(URI.create(S3TestSupport.endpoint(server) + pathAndQuery), method, headers,
                HttpRequest.BodyPublishers.noBody());
    }

    static HttpResponse<String> send(URI uri, String method, Map<String, String> headers,
                                     HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, body);
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.crossjobs.mockcloud.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

/** The real azure-storage-blob SDK pointed at mock-cloud's Blob listener, and raw requests as a node's curl sends. */
final class BlobTestSupport {
    static final String ACCOUNT = "crossjobsmock";
    static final String KEY = "Y3Jvc3Nqb2JzIG1vY2stY2xvdWQgYmxvYiBhY2NvdW50IGtleSwgYSB0ZXN0IHZhbHVlIG5vdCBhIHNlY3JldA==";
    static final String VERSION = "2026-06-06";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BlobTestSupport() { }

    static String endpoint(BlobServer server) {
        return "http://127.0.0.1:" + server.port() + "/" + ACCOUNT;
    }

    /** Signed with {@code key}; one try per call, so a refusal surfaces as it was answered. */
    static BlobServiceClient client(BlobServer server, String key) {
        return new BlobServiceClientBuilder().endpoint(endpoint(server))
                .credential(new StorageSharedKeyCredential(ACCOUNT, key))
                .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, 30, null, null, null))
                .buildClient();
    }

    /** One request with the JDK's client (no credential of its own: what the URL's SAS grants). */
    static HttpResponse<String> send(String method, String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Append Block through a SAS URL at {@code position}, as the node's ship function sends it. */
    static HttpResponse<String> appendWithSas(String sasUrl, long position, byte[] data, String version) {
        return send("PUT", sasUrl + "&comp=appendblock", Map.of("x-ms-version", version,
                "x-ms-blob-condition-appendpos", Long.toString(position)), data);
    }

    static String errorCode(HttpResponse<String> r) {
        return r.headers().firstValue("x-ms-error-code").orElse(null);
    }
}

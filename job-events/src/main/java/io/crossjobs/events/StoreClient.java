package io.crossjobs.events;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The client of a provisioner's internal object-store API ({@link #PATH}), through which the one component holding a
 * cloud's credentials (that cloud's provisioner) makes crossjobs' store, signs requests for objects in its cloud and
 * lists them for others: job-api when it stores an upload, another provisioner when a node on its cloud stages files
 * from this cloud. Requests are signed with {@link InternalAuth}; signed requests come back sealed with the secrets
 * key, so neither travels readable on the network.
 */
public final class StoreClient {
    public static final String PATH = "/internal/store";

    /** The store's answer to a request it could not carry out: its HTTP status and message. */
    public static final class StoreException extends RuntimeException {
        private final int status;

        public StoreException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public record SignBatch(String method, List<String> uris, long validitySeconds) { }

    public record Signed(List<SignedRequest> requests) { }

    public record ListRequest(String uri, int max) { }

    public record Listing(List<StoredObject> objects) { }

    public record Store(String uri) { }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final InternalAuth auth;
    private final SecretSealer sealer;
    private final HttpClient http;

    public StoreClient(URI base, InternalAuth auth, SecretSealer sealer) {
        this.base = base;
        this.auth = auth;
        this.sealer = sealer;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** crossjobs' own store on this cloud, made on first use. */
    public String ensureStore() {
        return read(send("POST", "/ensure", new byte[0]), Store.class).uri();
    }

    /** One pre-signed request of {@code method} per object URI, in order, valid for {@code validity}. */
    public List<SignedRequest> sign(String method, List<String> uris, Duration validity) {
        byte[] body = write(new SignBatch(method, uris, validity.toSeconds()));
        String sealed = send("POST", "/sign", body);
        return read(sealer.unseal(sealed), Signed.class).requests();
    }

    /** Every object under the prefix {@code uri}; a {@link StoreException} when there are more than {@code max}. */
    public List<StoredObject> list(String uri, int max) {
        return read(send("POST", "/list", write(new ListRequest(uri, max))), Listing.class).objects();
    }

    /** Deletes crossjobs' own store on this cloud and everything in it; returns how many objects went. */
    public int deleteStore() {
        return read(send("DELETE", "", new byte[0]), new TypeReference<Map<String, Integer>>() { })
                .getOrDefault("deleted", 0);
    }

    private String send(String method, String path, byte[] body) {
        String fullPath = PATH + path;
        HttpRequest request = HttpRequest.newBuilder(base.resolve(fullPath)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header(InternalAuth.HEADER, auth.sign(method, fullPath, body))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw new StoreException(response.statusCode(), response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new StoreException(503, "the store at " + base + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(503, "interrupted while asking the store at " + base);
        }
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new StoreException(502, "the store answered what is not " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static <T> T read(String body, TypeReference<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new StoreException(502, "the store answered what is not JSON: " + e.getMessage());
        }
    }
}

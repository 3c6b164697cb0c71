package io.crossjobs.testsupport;

import io.crossjobs.events.InternalAuth;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StorageUris;
import io.crossjobs.events.StoreClient;
import io.crossjobs.events.StoredObject;
import io.quarkus.test.common.http.TestHTTPResource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every provisioner's object store must do, as job-api and other provisioners use it: through the provisioner's
 * internal API ({@link StoreClient}, signed with the secrets key), against mock-cloud's storage front end of its
 * cloud, with signed requests sent as a node sends them (plain HTTP, no credential). Each adapter's
 * {@code @QuarkusTest} extends this; its {@code crossjobs.secrets.key} must be {@link ProvisionerFlowContract#SECRETS_KEY}.
 */
public abstract class ObjectStoreContract {

    /** Short cloud name: "aws", "gcp", "azure". */
    protected abstract String cloud();

    @TestHTTPResource("/")
    URL provisionerUrl;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private StoreClient store(String key) {
        return new StoreClient(URI.create(provisionerUrl.toString()), new InternalAuth(key, Clock.systemUTC()),
                SecretSealer.fromBase64Key(key));
    }

    private StoreClient store() {
        return store(ProvisionerFlowContract.SECRETS_KEY);
    }

    @Test
    void theStoreIsMadeOnceAndItsObjectsAreReachedOnlyThroughSignedRequests() throws Exception {
        String uri = store().ensureStore();
        assertEquals(uri, store().ensureStore(), "a second call finds the same store");
        assertEquals(Optional.of(cloud()), StorageUris.cloudOf(uri), uri);
        assertFalse(uri.endsWith("/"), uri);
        String object = uri + "/archives/contract-" + UUID.randomUUID() + ".tar.gz";
        byte[] bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(bytes);

        SignedRequest put = sign("PUT", object, Duration.ofMinutes(5));
        assertEquals(2, send(put, bytes).statusCode() / 100, "a signed PUT stores the object");
        SignedRequest get = sign("GET", object, Duration.ofMinutes(5));
        HttpResponse<byte[]> got = send(get, null);
        assertEquals(200, got.statusCode());
        assertArrayEquals(bytes, got.body(), "a signed GET reads what was stored");

        String unsigned = get.url().contains("?") ? get.url().substring(0, get.url().indexOf('?')) : get.url();
        int anonymous = send(new SignedRequest("GET", unsigned, get.headers()), null).statusCode();
        assertTrue(anonymous == 401 || anonymous == 403 || anonymous == 404,
                "without its signature the object is not served: " + anonymous);
        SignedRequest other = new SignedRequest("GET", get.url().replace("contract-", "contracT-"), get.headers());
        int tampered = send(other, null).statusCode();
        assertTrue(tampered == 401 || tampered == 403, "a signature does not open another object: " + tampered);

        assertTrue(store().list(uri + "/archives/", 1000).contains(new StoredObject(object, bytes.length)),
                "the listing holds the object with its size");

        SignedRequest delete = sign("DELETE", object, Duration.ofMinutes(5));
        assertEquals(2, send(delete, null).statusCode() / 100, "a signed DELETE removes the object");
        assertEquals(404, send(sign("GET", object, Duration.ofMinutes(5)), null).statusCode(), "it is gone");
    }

    @Test
    void anExpiredSignatureIsRefused() throws Exception {
        String object = store().ensureStore() + "/archives/expiring-" + UUID.randomUUID();
        assertEquals(2, send(sign("PUT", object, Duration.ofMinutes(5)), new byte[]{1, 2, 3}).statusCode() / 100);
        SignedRequest get = sign("GET", object, Duration.ofSeconds(1));
        Instant signedAt = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(signedAt.plusSeconds(2)));
        // S3 and Azure answer 403; Cloud Storage 400 ExpiredToken
        int expired = send(get, null).statusCode();
        assertTrue(expired == 400 || expired == 403, "an expired signature opens nothing: " + expired);
    }

    @Test
    void aPrefixListsOnlyItsObjectsAndAListingOverTheLimitIsRefusedByName() throws Exception {
        String uri = store().ensureStore();
        String folder = uri + "/bucket-" + UUID.randomUUID() + "/";
        for (String name : List.of("a.txt", "sub/b.txt", "sub/c.txt")) {
            send(sign("PUT", folder + name, Duration.ofMinutes(5)), name.getBytes());
        }
        send(sign("PUT", folder.substring(0, folder.length() - 1) + "-sibling/x", Duration.ofMinutes(5)),
                new byte[]{1});

        List<StoredObject> listed = store().list(folder, 10);
        assertEquals(List.of(folder + "a.txt", folder + "sub/b.txt", folder + "sub/c.txt"),
                listed.stream().map(StoredObject::uri).sorted().toList());
        StoreClient.StoreException tooMany = assertThrows(StoreClient.StoreException.class,
                () -> store().list(folder, 2));
        assertEquals(4, tooMany.status() / 100, tooMany.getMessage());
        assertTrue(tooMany.getMessage().contains("2"), "the answer names the limit: " + tooMany.getMessage());
    }

    @Test
    void aRequestNotSignedWithTheSecretsKeyIsRefusedAndChangesNothing() {
        StoreClient.StoreException refused = assertThrows(StoreClient.StoreException.class,
                () -> store(SecretSealer.newKey()).sign("GET", List.of(store().ensureStore() + "/x"),
                        Duration.ofMinutes(1)));
        assertEquals(401, refused.status(), refused.getMessage());
    }

    @Test
    void anotherCloudsUriIsRefusedByName() {
        String foreign = switch (cloud()) {
            case "aws" -> "gs://some-bucket/x";
            case "gcp" -> "https://someaccount.blob.core.windows.net/c/x";
            default -> "s3://some-bucket/x";
        };
        StoreClient.StoreException refused = assertThrows(StoreClient.StoreException.class,
                () -> store().sign("GET", List.of(foreign), Duration.ofMinutes(1)));
        assertEquals(400, refused.status(), refused.getMessage());
        assertTrue(refused.getMessage().contains(foreign), refused.getMessage());
    }

    @Test
    void removingTheStoreDeletesItsObjectsAndItCanBeMadeAgain() throws Exception {
        String uri = store().ensureStore();
        String object = uri + "/archives/doomed-" + UUID.randomUUID();
        send(sign("PUT", object, Duration.ofMinutes(5)), new byte[]{4, 2});
        assertTrue(store().deleteStore() >= 1, "at least the object just stored was deleted");
        assertEquals(0, store().deleteStore(), "a store that is gone is fine");
        // some clouds keep a deleted name a while (Azure: 30 s or more, 409 ContainerBeingDeleted)
        String again = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                .ignoreException(StoreClient.StoreException.class).until(() -> store().ensureStore(), u -> true);
        assertEquals(uri, again, "made again, under the same name");
        assertTrue(store().list(uri + "/", 1000).isEmpty(), "and empty");
    }

    private SignedRequest sign(String method, String object, Duration validity) {
        List<SignedRequest> signed = store().sign(method, List.of(object), validity);
        assertEquals(1, signed.size());
        assertEquals(method, signed.get(0).method());
        return signed.get(0);
    }

    /** Sends a signed request as a node's curl would: its method, URL and headers, nothing else. */
    static HttpResponse<byte[]> send(SignedRequest request, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url()))
                .method(request.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

}

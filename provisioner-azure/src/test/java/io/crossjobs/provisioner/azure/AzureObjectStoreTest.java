package io.crossjobs.provisioner.azure;

import io.crossjobs.events.InternalAuth;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StoreClient;
import io.crossjobs.testsupport.KafkaResource;
import io.crossjobs.testsupport.ObjectStoreContract;
import io.crossjobs.testsupport.ProvisionerFlowContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object-store contract on Blob Storage (mock-cloud's, through the provisioner's internal API), and what is
 * Azure's own: the store's URI in Azure's form while the requests go to mock-cloud, a PUT that is Put Blob of a block
 * blob, each SAS granting only its method, another account refused, and an upload larger than one Append Block
 * taken in one signed request.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MockCloudResource.class, restrictToAnnotatedClass = true)
class AzureObjectStoreTest extends ObjectStoreContract {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL provisioner;

    @Override
    protected String cloud() {
        return "azure";
    }

    @Test
    void theStoreIsNamedInAzuresFormAndEachSasGrantsOnlyItsMethod() throws Exception {
        String account = MockBlobStorage.shared().account();
        String store = store().ensureStore();
        assertEquals("https://" + account + ".blob.core.windows.net/crossjobs-store", store);
        String object = store + "/archives/" + UUID.randomUUID() + ".tar.gz";

        SignedRequest put = sign("PUT", object);
        assertTrue(put.url().startsWith(MockBlobStorage.shared().endpoint() + "/crossjobs-store/archives"),
                "sent to the account's endpoint: " + put.url());
        assertTrue(put.url().contains("sr=b") && put.url().contains("sp=cw"), put.url());
        assertEquals("BlockBlob", put.headers().get("x-ms-blob-type"));
        assertEquals(201, send(put, new byte[]{1, 2, 3}).statusCode());

        SignedRequest get = sign("GET", object);
        HttpResponse<byte[]> got = send(get, null);
        assertEquals(200, got.statusCode());
        assertEquals("BlockBlob", got.headers().firstValue("x-ms-blob-type").orElse(null), "stored by Put Blob");
        HttpResponse<byte[]> putWithGet = send(new SignedRequest("PUT", get.url(), put.headers()), new byte[]{9});
        assertEquals(403, putWithGet.statusCode(), "a read SAS writes nothing");
        assertEquals("AuthorizationPermissionMismatch", putWithGet.headers().firstValue("x-ms-error-code").orElse(null));
        HttpResponse<byte[]> deleteWithPut = send(new SignedRequest("DELETE", put.url(), Map.of()), null);
        assertEquals(403, deleteWithPut.statusCode(), "a write SAS deletes nothing");
        assertArrayEquals(new byte[]{1, 2, 3}, send(get, null).body(), "and neither changed the blob");
        assertEquals(202, send(sign("DELETE", object), null).statusCode());
    }

    @Test
    void anotherStorageAccountIsNotThisProvisioners() {
        String other = "https://someotheraccount.blob.core.windows.net/crossjobs-store/x";
        StoreClient.StoreException refused = assertThrows(StoreClient.StoreException.class,
                () -> store().sign("GET", List.of(other), Duration.ofMinutes(1)));
        assertEquals(400, refused.status(), refused.getMessage());
        assertTrue(refused.getMessage().contains(other), refused.getMessage());
        StoreClient.StoreException listed = assertThrows(StoreClient.StoreException.class,
                () -> store().list("https://someotheraccount.blob.core.windows.net/c/", 10));
        assertEquals(400, listed.status(), listed.getMessage());
    }

    /**
     * 105 MB, more than one Append Block (100 MiB) or mock-cloud's former single-write limit, in one signed Put Blob,
     * read back whole; a few seconds. A random MiB repeated: filling the whole array at random costs more than the
     * round trip.
     */
    @Test
    void aHundredAndFiveMegabyteUploadIsOneSignedPutAndReadsBackWhole() throws Exception {
        String object = store().ensureStore() + "/archives/large-" + UUID.randomUUID() + ".tar.gz";
        byte[] block = new byte[1 << 20];
        new Random(11).nextBytes(block);
        byte[] bytes = new byte[105_000_000];
        for (int at = 0; at < bytes.length; at += block.length) {
            System.arraycopy(block, 0, bytes, at, Math.min(block.length, bytes.length - at));
        }
        bytes[bytes.length - 1] ^= 1;
        byte[] sent = MessageDigest.getInstance("SHA-256").digest(bytes);

        assertEquals(201, send(sign("PUT", object), bytes).statusCode());
        bytes = null;
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(sign("GET", object).url()));
        HttpResponse<InputStream> got = HTTP.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, got.statusCode());
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long length = 0;
        try (InputStream in = got.body()) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) >= 0; length += n) read.update(buffer, 0, n);
        }
        assertEquals(105_000_000L, length);
        assertArrayEquals(sent, read.digest(), "the same bytes came back");
        assertEquals(202, send(sign("DELETE", object), null).statusCode());
    }

    private StoreClient store() {
        String key = ProvisionerFlowContract.SECRETS_KEY;
        return new StoreClient(URI.create(provisioner.toString()), new InternalAuth(key, Clock.systemUTC()),
                SecretSealer.fromBase64Key(key));
    }

    private SignedRequest sign(String method, String object) {
        return store().sign(method, List.of(object), Duration.ofMinutes(5)).get(0);
    }

    private static HttpResponse<byte[]> send(SignedRequest request, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url())).method(request.method(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}

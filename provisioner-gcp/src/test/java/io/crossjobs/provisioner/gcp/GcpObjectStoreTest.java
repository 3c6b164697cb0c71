package io.crossjobs.provisioner.gcp;

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

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object-store contract on Cloud Storage: the provisioner's internal store API, the real google-cloud-storage
 * client and signer, mock-cloud's GCS front end, signed requests sent as a node's curl sends them.
 * Cloud Storage answers an expired V4 signed URL 400 {@code ExpiredToken} (mock-cloud's README, GCS table), which
 * {@link #anExpiredSignatureIsRefusedAsCloudStorageRefusesIt} checks beyond the contract's status.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MockCloudResource.class, restrictToAnnotatedClass = true)
class GcpObjectStoreTest extends ObjectStoreContract {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL provisioner;

    @Override
    protected String cloud() {
        return "gcp";
    }

    @Test
    void anExpiredSignatureIsRefusedAsCloudStorageRefusesIt() throws Exception {
        StoreClient store = new StoreClient(URI.create(provisioner.toString()),
                new InternalAuth(ProvisionerFlowContract.SECRETS_KEY, Clock.systemUTC()),
                SecretSealer.fromBase64Key(ProvisionerFlowContract.SECRETS_KEY));
        String object = store.ensureStore() + "/archives/expiring-" + UUID.randomUUID();
        SignedRequest put = store.sign("PUT", List.of(object), Duration.ofMinutes(5)).get(0);
        assertEquals(200, send(put, new byte[] {1, 2, 3}).statusCode());
        Instant signedAt = Instant.now();
        SignedRequest get = store.sign("GET", List.of(object), Duration.ofSeconds(1)).get(0);
        // X-Goog-Date is in whole seconds: 2 s after signing, the 1 s of validity are over whatever the rounding
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(signedAt.plusSeconds(2)));
        HttpResponse<String> expired = send(get, null);
        assertEquals(400, expired.statusCode(), expired.body());
        assertTrue(expired.body().contains("<Code>ExpiredToken</Code>"), expired.body());
    }

    private static HttpResponse<String> send(SignedRequest request, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url())).method(request.method(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

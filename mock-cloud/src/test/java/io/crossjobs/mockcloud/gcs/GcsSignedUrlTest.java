package io.crossjobs.mockcloud.gcs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.sim.Cloud;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Objects stored with the real client's upload (objects.insert) and fetched or deleted with V4 signed URLs the
 * client itself signs (GOOG4-RSA-SHA256), as a node's curl sends them; what GCS refuses is refused: another
 * signature, an expired URL, anonymous access, and the account's faults on the JSON API and on signed requests.
 */
@QuarkusTest
class GcsSignedUrlTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    GcsServer server;

    @Inject
    Accounts accounts;

    @AfterEach
    void heal() {
        accounts.clear();
    }

    @Test
    void anUploadedObjectIsFetchedThenDeletedWithSignedUrlsOnce() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = uploaded(storage, "export API_TOKEN='s3cr3t'\n");
            assertEquals("export API_TOKEN='s3cr3t'\n", new String(storage.readAllBytes(blob), StandardCharsets.UTF_8),
                    "the upload stored what was sent");
            URL get = sign(storage, blob, HttpMethod.GET, 60);
            URL delete = sign(storage, blob, HttpMethod.DELETE, 60);

            HttpResponse<String> fetched = send("GET", get);
            assertEquals(200, fetched.statusCode(), fetched.body());
            assertEquals("export API_TOKEN='s3cr3t'\n", fetched.body());
            assertEquals(204, send("DELETE", delete).statusCode());
            assertEquals(null, storage.get(blob), "deleted");

            HttpResponse<String> again = send("GET", get);
            assertEquals(404, again.statusCode());
            assertTrue(again.body().contains("<Code>NoSuchKey</Code>"), again.body());
            assertEquals(404, send("DELETE", delete).statusCode());
        }
    }

    @Test
    void aChangedSignatureAnotherObjectAndAnonymousAccessAreRefused() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = uploaded(storage, "x");
            String url = sign(storage, blob, HttpMethod.GET, 60).toString();
            String last = url.substring(url.length() - 1);
            HttpResponse<String> forged = send("GET", URI.create(url.substring(0, url.length() - 1)
                    + (last.equals("0") ? "1" : "0")).toURL());
            assertEquals(403, forged.statusCode());
            assertTrue(forged.body().contains("<Code>SignatureDoesNotMatch</Code>"), forged.body());

            HttpResponse<String> other = send("GET", URI.create(url.replace(blob.getName(), blob.getName() + "x")).toURL());
            assertEquals(403, other.statusCode(), "the signature covers the object's path");

            HttpResponse<String> anonymous = send("GET", URI.create(url.substring(0, url.indexOf('?'))).toURL());
            assertEquals(403, anonymous.statusCode());
            assertTrue(anonymous.body().contains("<Code>AccessDenied</Code>"), anonymous.body());

            URL delete = sign(storage, blob, HttpMethod.DELETE, 60);
            assertEquals(403, send("GET", delete).statusCode(), "a DELETE's signature is no GET's");
            assertTrue(storage.get(blob) != null);
        }
    }

    @Test
    void anExpiredUrlIsRefusedAndTheObjectStays() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = uploaded(storage, "x");
            URL get = sign(storage, blob, HttpMethod.GET, 1);
            URL delete = sign(storage, blob, HttpMethod.DELETE, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> send("GET", get).statusCode() == 400);
            HttpResponse<String> expired = send("DELETE", delete);
            assertEquals(400, expired.statusCode());
            assertTrue(expired.body().contains("<Code>ExpiredToken</Code>"), expired.body());
            assertTrue(storage.get(blob) != null, "an expired DELETE deletes nothing");
        }
    }

    @Test
    void aRevokedKeyFailsTheJsonApiWith401AndItsSignaturesNoLongerVerify() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = uploaded(storage, "x");
            URL get = sign(storage, blob, HttpMethod.GET, 60);
            accounts.set(Cloud.GCP, new AccountState(true, Set.of(), Set.of()));

            StorageException e = assertThrows(StorageException.class, () -> storage.get(blob.getBucket()));
            assertEquals(401, e.getCode());
            assertEquals("authError", e.getReason());
            HttpResponse<String> signed = send("GET", get);
            assertEquals(403, signed.statusCode());
            assertTrue(signed.body().contains("<Code>SignatureDoesNotMatch</Code>"), signed.body());
        }
    }

    @Test
    void aDeniedPermissionFailsTheCallsThatNeedItAndNoOther() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = uploaded(storage, "x");
            URL get = sign(storage, blob, HttpMethod.GET, 60);
            URL delete = sign(storage, blob, HttpMethod.DELETE, 60);
            accounts.set(Cloud.GCP, new AccountState(false, Set.of("storage.objects.get", "storage.objects.create"),
                    Set.of()));

            StorageException read = assertThrows(StorageException.class, () -> storage.readAllBytes(blob));
            assertEquals(403, read.getCode());
            assertTrue(read.getMessage().contains("does not have storage.objects.get access"), read.getMessage());
            StorageException write = assertThrows(StorageException.class, () -> storage.create(
                    BlobInfo.newBuilder(blob.getBucket(), "other").build(), new byte[] {1}));
            assertEquals(403, write.getCode());
            HttpResponse<String> signed = send("GET", get);
            assertEquals(403, signed.statusCode());
            assertTrue(signed.body().contains("<Code>AccessDenied</Code>"), signed.body());
            assertTrue(storage.get(blob.getBucket()) != null, "buckets.get needs another permission");
            assertEquals(204, send("DELETE", delete).statusCode(), "so does a delete");
            accounts.clear();
            assertFalse(storage.get(blob) != null);
        }
    }

    private BlobId uploaded(Storage storage, String content) {
        String bucket = "crossjobs-" + UUID.randomUUID().toString().substring(0, 8);
        storage.create(BucketInfo.newBuilder(bucket).setLocation("us-central1").build());
        BlobId blob = BlobId.of(bucket, "crossjobs-output/j/1/cj-j-1/secrets-0");
        storage.create(BlobInfo.newBuilder(blob).setContentType("text/plain").build(),
                content.getBytes(StandardCharsets.UTF_8));
        return blob;
    }

    private URL sign(Storage storage, BlobId blob, HttpMethod method, long seconds) throws IOException {
        return storage.signUrl(BlobInfo.newBuilder(blob).build(), seconds, TimeUnit.SECONDS,
                Storage.SignUrlOption.withV4Signature(), Storage.SignUrlOption.httpMethod(method),
                Storage.SignUrlOption.signWith(signer()), Storage.SignUrlOption.withPathStyle(),
                Storage.SignUrlOption.withHostName("http://127.0.0.1:" + server.port()));
    }

    private Storage storage() {
        return StorageOptions.http().setHost("http://127.0.0.1:" + server.port()).setProjectId("mock-project")
                .setCredentials(NoCredentials.getInstance()).build().getService();
    }

    private ServiceAccountCredentials signer() throws IOException {
        try (InputStream in = Files.newInputStream(server.serviceAccountKey().file())) {
            return ServiceAccountCredentials.fromStream(in);
        }
    }

    private static HttpResponse<String> send(String method, URL url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.toURI()).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package io.crossjobs.mockcloud.gcs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.sim.Cloud;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The XML API's PUT with a V4 signed URL the real client signs, sent as a plain HTTP client sends it: it stores the
 * body (read back through the JSON API), 100 MB included; what GCS refuses before taking the body is refused and
 * stores nothing.
 */
@QuarkusTest
class GcsSignedPutTest {
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
    void aSignedPutOfAHundredMegabytesIsStoredAndReadBackWithASignedGet() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = BlobId.of(bucket(storage), "archives/big.tar.gz");
            byte[] bytes = new byte[100 * 1024 * 1024];
            new Random(3).nextBytes(bytes);

            HttpResponse<String> put = send("PUT", sign(storage, blob, HttpMethod.PUT, 300), bytes);
            assertEquals(200, put.statusCode(), put.body());
            Blob stored = storage.get(blob);
            assertEquals(bytes.length, stored.getSize());
            assertEquals(Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes)),
                    stored.getMd5(), "the object holds exactly the body");
            assertEquals("application/octet-stream", stored.getContentType(), "GCS's default without Content-Type");
            assertEquals(String.valueOf(stored.getGeneration()), put.headers().firstValue("x-goog-generation")
                    .orElseThrow());

            HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(sign(storage, blob, HttpMethod.GET, 300)
                    .toURI()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, got.statusCode());
            assertArrayEquals(bytes, got.body());
        }
    }

    @Test
    void aSignedPutReplacesAnObjectAndCarriesItsContentType() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = BlobId.of(bucket(storage), "a.txt");
            assertEquals(200, send("PUT", sign(storage, blob, HttpMethod.PUT, 60), bytes("one")).statusCode());
            HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(sign(storage, blob, HttpMethod.PUT, 60)
                    .toURI()).header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("two"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
            assertEquals("two", new String(storage.readAllBytes(blob), StandardCharsets.UTF_8));
            assertEquals("text/plain", storage.get(blob).getContentType());
        }
    }

    @Test
    void anAnonymousOrOtherwiseSignedPutIsRefusedAndStoresNothing() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = BlobId.of(bucket(storage), "archives/x");
            String url = sign(storage, blob, HttpMethod.PUT, 60).toString();

            HttpResponse<String> anonymous = send("PUT", new URL(url.substring(0, url.indexOf('?'))), bytes("x"));
            assertEquals(403, anonymous.statusCode());
            assertTrue(anonymous.body().contains("<Code>AccessDenied</Code>"), anonymous.body());

            HttpResponse<String> asGet = send("PUT", sign(storage, blob, HttpMethod.GET, 60), bytes("x"));
            assertEquals(403, asGet.statusCode(), "a GET's signature is no PUT's");
            assertTrue(asGet.body().contains("<Code>SignatureDoesNotMatch</Code>"), asGet.body());

            HttpResponse<String> other = send("PUT", new URL(url.replace("archives/x", "archives/y")), bytes("x"));
            assertEquals(403, other.statusCode(), "the signature covers the object's name");

            assertNull(storage.get(blob));
            assertNull(storage.get(BlobId.of(blob.getBucket(), "archives/y")));
        }
    }

    @Test
    void anExpiredPutIsRefusedAsGcsRefusesItAndStoresNothing() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = BlobId.of(bucket(storage), "late");
            Instant signedAt = Instant.now();
            URL put = sign(storage, blob, HttpMethod.PUT, 1);
            // X-Goog-Date is in whole seconds: 2 s after signing, the 1 s of validity are over whatever the rounding
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(signedAt.plusSeconds(2)));
            HttpResponse<String> expired = send("PUT", put, bytes("x"));
            assertEquals(400, expired.statusCode());
            assertTrue(expired.body().contains("<Code>ExpiredToken</Code>"), expired.body());
            assertNull(storage.get(blob));
        }
    }

    @Test
    void aPutToAMissingBucketAWrongDigestOrWithoutALengthIsRefused() throws Exception {
        try (Storage storage = storage()) {
            HttpResponse<String> noBucket = send("PUT", sign(storage, BlobId.of("no-such-bucket-" + UUID.randomUUID()
                    .toString().substring(0, 8), "x"), HttpMethod.PUT, 60), bytes("x"));
            assertEquals(404, noBucket.statusCode());
            assertTrue(noBucket.body().contains("<Code>NoSuchBucket</Code>"), noBucket.body());

            BlobId blob = BlobId.of(bucket(storage), "digest");
            String wrongMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes("y")));
            HttpResponse<String> badDigest = HTTP.send(HttpRequest.newBuilder(sign(storage, blob, HttpMethod.PUT, 60)
                    .toURI()).header("Content-MD5", wrongMd5).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badDigest.statusCode());
            assertTrue(badDigest.body().contains("<Code>BadDigest</Code>"), badDigest.body());
            assertNull(storage.get(blob));

            URL put = sign(storage, blob, HttpMethod.PUT, 60);
            String answer = rawPutWithoutLength(put);
            assertTrue(answer.startsWith("HTTP/1.1 411"), answer);
            assertTrue(answer.contains("<Code>MissingContentLength</Code>"), answer);
        }
    }

    @Test
    void aSignerWithoutDeleteCannotReplaceAnObject() throws Exception {
        try (Storage storage = storage()) {
            BlobId blob = BlobId.of(bucket(storage), "kept");
            assertEquals(200, send("PUT", sign(storage, blob, HttpMethod.PUT, 60), bytes("one")).statusCode());
            accounts.set(Cloud.GCP, new AccountState(false, Set.of("storage.objects.delete"), Set.of()));
            HttpResponse<String> replace = send("PUT", sign(storage, blob, HttpMethod.PUT, 60), bytes("two"));
            assertEquals(403, replace.statusCode());
            assertTrue(replace.body().contains("<Code>AccessDenied</Code>"), replace.body());
            accounts.clear();
            assertEquals("one", new String(storage.readAllBytes(blob), StandardCharsets.UTF_8));
        }
    }

    /** A PUT with neither Content-Length nor chunked encoding, which java.net.http never sends: the raw answer. */
    private static String rawPutWithoutLength(URL url) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String bucket(Storage storage) {
        String bucket = "crossjobs-put-" + UUID.randomUUID().toString().substring(0, 8);
        storage.create(BucketInfo.newBuilder(bucket).setLocation("us-central1").build());
        return bucket;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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

    private static HttpResponse<String> send(String method, URL url, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(url.toURI()).method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}

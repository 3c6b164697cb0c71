package io.crossjobs.mockcloud.gcs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.PostPolicyV4;
import com.google.cloud.storage.PostPolicyV4.PostConditionsV4;
import com.google.cloud.storage.PostPolicyV4.PostFieldsV4;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The real google-cloud-storage client against the Cloud Storage front end: buckets, listing, ranged reads and
 * deletes through the JSON API, and form POSTs signed with the SDK's own V4 policy signer (GOOG4-RSA-SHA256) by the
 * key file mock-cloud wrote, checked as GCS checks them.
 */
@QuarkusTest
class GcsSdkTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    GcsServer server;

    private Storage storage() {
        return StorageOptions.http().setHost("http://127.0.0.1:" + server.port()).setProjectId("mock-project")
                .setCredentials(NoCredentials.getInstance()).build().getService();
    }

    private ServiceAccountCredentials signer() throws IOException {
        try (InputStream in = Files.newInputStream(server.serviceAccountKey().file())) {
            return ServiceAccountCredentials.fromStream(in);
        }
    }

    private String newBucket(Storage storage) {
        String name = "crossjobs-" + UUID.randomUUID().toString().substring(0, 8);
        storage.create(BucketInfo.newBuilder(name).setLocation("us-central1").build());
        return name;
    }

    @Test
    void bucketsAreMadeOnceAndReadBack() throws Exception {
        try (Storage storage = storage()) {
            String name = newBucket(storage);
            Bucket bucket = storage.get(name);
            assertEquals("US-CENTRAL1", bucket.getLocation());

            StorageException taken = assertThrows(StorageException.class,
                    () -> storage.create(BucketInfo.newBuilder(name).build()));
            assertEquals(409, taken.getCode());
            assertEquals("conflict", taken.getReason());
            assertNull(storage.get("crossjobs-none-" + UUID.randomUUID().toString().substring(0, 8)));
            StorageException invalid = assertThrows(StorageException.class,
                    () -> storage.create(BucketInfo.newBuilder("Not_A_Bucket").build()));
            assertEquals(400, invalid.getCode());
            StorageException google = assertThrows(StorageException.class,
                    () -> storage.create(BucketInfo.newBuilder("my-google-bucket").build()));
            assertEquals(400, google.getCode());
        }
    }

    @Test
    void aSignedPolicyUploadsUnderItsPrefixOnlyAndTheSdkReadsItBack() throws Exception {
        try (Storage storage = storage()) {
            String bucket = newBucket(storage);
            PostPolicyV4 policy = prefixPolicy(storage, bucket, "out/node-0/", 16, 600);
            assertTrue(policy.getUrl().endsWith("/" + bucket + "/"), policy.getUrl());

            HttpResponse<String> ok = post(policy, "out/node-0/0000", "0123456789abcdef");
            assertEquals(204, ok.statusCode(), ok.body());
            assertEquals(204, post(policy, "out/node-0/0016", "ghij").statusCode());

            HttpResponse<String> outside = post(policy, "elsewhere/0000", "x");
            assertEquals(400, outside.statusCode());
            assertTrue(outside.body().contains("<Code>InvalidPolicyDocument</Code>"), outside.body());
            HttpResponse<String> tooLarge = post(policy, "out/node-0/0020", "0123456789abcdefg");
            assertEquals(400, tooLarge.statusCode());
            assertTrue(tooLarge.body().contains("<Code>EntityTooLarge</Code>"), tooLarge.body());

            Map<String, String> extra = new LinkedHashMap<>(policy.getFields());
            extra.put("x-goog-meta-owner", "someone");
            HttpResponse<String> unreferenced = post(PostPolicyV4.of(policy.getUrl(), extra), "out/node-0/0030", "x");
            assertEquals(400, unreferenced.statusCode());
            assertTrue(unreferenced.body().contains("Policy did not reference these fields: x-goog-meta-owner"),
                    unreferenced.body());

            Map<String, String> forged = new LinkedHashMap<>(policy.getFields());
            forged.put("x-goog-signature", "00".repeat(256));
            HttpResponse<String> badSignature = post(PostPolicyV4.of(policy.getUrl(), forged), "out/node-0/0040", "x");
            assertEquals(403, badSignature.statusCode());
            assertTrue(badSignature.body().contains("<Code>SignatureDoesNotMatch</Code>"), badSignature.body());

            PostPolicyV4 expired = prefixPolicy(storage, bucket, "out/node-0/", 16, -1);
            HttpResponse<String> late = post(expired, "out/node-0/0050", "x");
            assertEquals(400, late.statusCode());
            assertTrue(late.body().contains("Policy expired"), late.body());
            PostPolicyV4 tooLong = prefixPolicy(storage, bucket, "out/node-0/", 16, 7 * 24 * 3600 + 1);
            assertEquals(400, post(tooLong, "out/node-0/0060", "x").statusCode());

            // what was stored: the two accepted chunks only, read back by range and listed in name order
            List<String> names = new ArrayList<>();
            storage.list(bucket, Storage.BlobListOption.prefix("out/node-0/")).iterateAll()
                    .forEach(b -> names.add(b.getName()));
            assertEquals(List.of("out/node-0/0000", "out/node-0/0016"), names);
            Blob first = storage.get(BlobId.of(bucket, "out/node-0/0000"));
            assertEquals(16, first.getSize());
            assertNotNull(first.getMd5());
            assertNotNull(first.getCrc32c());
            assertArrayEquals("0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                    storage.readAllBytes(BlobId.of(bucket, "out/node-0/0000")));
            try (ReadChannel reader = storage.reader(BlobId.of(bucket, "out/node-0/0000", first.getGeneration()))) {
                reader.seek(10);
                reader.limit(14);
                ByteBuffer buf = ByteBuffer.allocate(16);
                while (reader.read(buf) >= 0 && buf.position() < 4) { }
                assertEquals("abcd", new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
            }

            assertTrue(storage.delete(BlobId.of(bucket, "out/node-0/0000")));
            assertFalse(storage.delete(BlobId.of(bucket, "out/node-0/0000")));
            assertNull(storage.get(BlobId.of(bucket, "out/node-0/0000")));
        }
    }

    @Test
    void listingPagesAndStartsAtAnOffset() throws Exception {
        try (Storage storage = storage()) {
            String bucket = newBucket(storage);
            for (String n : List.of("p/01", "p/02", "p/03", "p/04", "p/05", "q/01")) {
                assertEquals(204, post(policy(storage, bucket, n), n, n).statusCode());
            }
            List<String> from = new ArrayList<>();
            storage.list(bucket, Storage.BlobListOption.prefix("p/"), Storage.BlobListOption.startOffset("p/03"),
                    Storage.BlobListOption.pageSize(2)).iterateAll().forEach(b -> from.add(b.getName()));
            assertEquals(List.of("p/03", "p/04", "p/05"), from);
            var firstPage = storage.list(bucket, Storage.BlobListOption.pageSize(2));
            assertTrue(firstPage.hasNextPage());
            List<String> all = new ArrayList<>();
            firstPage.iterateAll().forEach(b -> all.add(b.getName()));
            assertEquals(List.of("p/01", "p/02", "p/03", "p/04", "p/05", "q/01"), all);
        }
    }

    @Test
    void rangesPastTheEndAndMissingObjectsAreRefused() throws Exception {
        try (Storage storage = storage()) {
            String bucket = newBucket(storage);
            assertEquals(204, post(policy(storage, bucket, "r/1"), "r/1", "abc").statusCode());
            HttpResponse<String> pastEnd = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/download/storage/v1/b/" + bucket + "/o/r%2F1?alt=media"))
                    .header("Range", "bytes=3-").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(416, pastEnd.statusCode());
            assertTrue(pastEnd.body().contains("requestedRangeNotSatisfiable"), pastEnd.body());
            HttpResponse<String> tail = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/storage/v1/b/" + bucket + "/o/r%2F1?alt=media"))
                    .header("Range", "bytes=1-").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(206, tail.statusCode());
            assertEquals("bc", tail.body());
            assertEquals("bytes 1-2/3", tail.headers().firstValue("Content-Range").orElse(null));

            StorageException missing = assertThrows(StorageException.class,
                    () -> storage.readAllBytes(BlobId.of(bucket, "r/none")));
            assertEquals(404, missing.getCode());
            HttpResponse<String> noBucket = post(policy(storage, "crossjobs-gone", "r/1"), "r/1", "abc");
            assertEquals(404, noBucket.statusCode());
            assertTrue(noBucket.body().contains("<Code>NoSuchBucket</Code>"), noBucket.body());
        }
    }

    /**
     * A policy for any name under {@code prefix}, at most {@code maxBytes}, valid {@code seconds} from now: built by
     * hand and signed with the key file's credentials (the SDK's generator pins one exact key, while a node ships
     * many chunks under one policy).
     */
    private PostPolicyV4 prefixPolicy(Storage storage, String bucket, String prefix, int maxBytes, long seconds) {
        try {
            ServiceAccountCredentials signer = signer();
            java.time.Instant now = java.time.Instant.now();
            String date = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                    .withZone(java.time.ZoneOffset.UTC).format(now);
            String credential = signer.getAccount() + "/" + date.substring(0, 8) + "/auto/storage/goog4_request";
            String document = "{\"conditions\":[{\"bucket\":\"" + bucket + "\"},[\"starts-with\",\"$key\",\"" + prefix
                    + "\"],[\"content-length-range\",0," + maxBytes + "],{\"x-goog-date\":\"" + date + "\"},"
                    + "{\"x-goog-credential\":\"" + credential + "\"},{\"x-goog-algorithm\":\"GOOG4-RSA-SHA256\"}],"
                    + "\"expiration\":\"" + now.plusSeconds(seconds).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + "\"}";
            String policy = java.util.Base64.getEncoder().encodeToString(document.getBytes(StandardCharsets.UTF_8));
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("key", prefix);
            fields.put("x-goog-algorithm", "GOOG4-RSA-SHA256");
            fields.put("x-goog-credential", credential);
            fields.put("x-goog-date", date);
            fields.put("policy", policy);
            fields.put("x-goog-signature", java.util.HexFormat.of().formatHex(
                    signer.sign(policy.getBytes(StandardCharsets.UTF_8))));
            return PostPolicyV4.of("http://127.0.0.1:" + server.port() + "/" + bucket + "/", fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SDK's own V4 policy for one exact name (its generator, its signature, its fields). */
    private PostPolicyV4 policy(Storage storage, String bucket, String name) {
        try {
            return storage.generateSignedPostPolicyV4(BlobInfo.newBuilder(bucket, name).build(), 600, TimeUnit.SECONDS,
                    PostFieldsV4.newBuilder().build(), PostConditionsV4.newBuilder().build(),
                    Storage.PostPolicyV4Option.signWith(signer()),
                    Storage.PostPolicyV4Option.withBucketBoundHostname("127.0.0.1:" + server.port() + "/" + bucket,
                            Storage.UriScheme.HTTP));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** multipart/form-data as curl -F sends it: the policy's fields with {@code key} as given, the file last. */
    private static HttpResponse<String> post(PostPolicyV4 policy, String key, String content) {
        String boundary = "----crossjobs" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> fields = new LinkedHashMap<>(policy.getFields());
        fields.put("key", key);
        String fileName = "chunk";
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(policy.getUrl()))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

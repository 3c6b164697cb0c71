package io.crossjobs.mockcloud.s3;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What jobs' VMs use without credentials: SDK-presigned GET/PUT URLs and browser-style POST policy uploads, checked
 * strictly against the account's secret.
 */
@QuarkusTest
class S3PresignedTest {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    @Inject
    S3Server server;

    private static SdkAsyncHttpClient http;

    @BeforeAll
    static void httpClient() {
        http = NettyNioAsyncHttpClient.builder().build();
    }

    @AfterAll
    static void closeHttp() {
        http.close();
    }

    private String newBucket(S3AsyncClient s3, String region) {
        String bucket = "p-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(region.equals("us-east-1") ? null
                : software.amazon.awssdk.services.s3.model.CreateBucketConfiguration.builder()
                .locationConstraint(BucketLocationConstraint.fromValue(region)).build())).join();
        return bucket;
    }

    private static HttpResponse<String> get(String url) {
        return RawS3.send(URI.create(url), "GET", Map.of(), HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void presignedGetAndPut() {
        try (S3AsyncClient s3 = S3TestSupport.client(server, http, "eu-west-1");
             S3Presigner presigner = S3TestSupport.presigner(server, "eu-west-1", S3TestSupport.KEY_ID,
                     S3TestSupport.SECRET)) {
            String bucket = newBucket(s3, "eu-west-1");
            String put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                    .putObjectRequest(o -> o.bucket(bucket).key("out/job 1.log"))).url().toString();
            HttpResponse<String> uploaded = RawS3.send(URI.create(put), "PUT", Map.of(),
                    HttpRequest.BodyPublishers.ofString("the whole output"));
            assertEquals(200, uploaded.statusCode(), uploaded.body());
            // what the VM uploaded is what the SDK reads back
            assertEquals("the whole output", s3.getObject(b -> b.bucket(bucket).key("out/job 1.log"),
                    AsyncResponseTransformer.toBytes()).join().asUtf8String());

            String url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                    .getObjectRequest(o -> o.bucket(bucket).key("out/job 1.log"))).url().toString();
            HttpResponse<String> ok = get(url);
            assertEquals(200, ok.statusCode());
            assertEquals("the whole output", ok.body());

            // another key under the same signature
            HttpResponse<String> tampered = get(url.replace("job%201.log", "job%202.log"));
            assertEquals(403, tampered.statusCode());
            assertTrue(tampered.body().contains("<Code>SignatureDoesNotMatch</Code>"), tampered.body());
            // a PUT URL does not allow a GET
            assertEquals(403, get(put).statusCode());
            HttpResponse<String> tooLong = get(url.replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=604801"));
            assertTrue(tooLong.body().contains("<Code>AuthorizationQueryParametersError</Code>"), tooLong.body());

            try (S3Presigner wrongSecret = S3TestSupport.presigner(server, "eu-west-1", S3TestSupport.KEY_ID, "x");
                 S3Presigner unknownKey = S3TestSupport.presigner(server, "eu-west-1", "AKIDUNKNOWN",
                         S3TestSupport.SECRET);
                 S3Presigner wrongRegion = S3TestSupport.presigner(server, "us-east-1", S3TestSupport.KEY_ID,
                         S3TestSupport.SECRET)) {
                HttpResponse<String> badSig = get(wrongSecret.presignGetObject(p -> p.signatureDuration(
                        Duration.ofMinutes(1)).getObjectRequest(o -> o.bucket(bucket).key("out/job 1.log")))
                        .url().toString());
                assertTrue(badSig.body().contains("<Code>SignatureDoesNotMatch</Code>"), badSig.body());
                HttpResponse<String> badKey = get(unknownKey.presignGetObject(p -> p.signatureDuration(
                        Duration.ofMinutes(1)).getObjectRequest(o -> o.bucket(bucket).key("out/job 1.log")))
                        .url().toString());
                assertEquals(403, badKey.statusCode());
                assertTrue(badKey.body().contains("<Code>InvalidAccessKeyId</Code>"), badKey.body());
                HttpResponse<String> region = get(wrongRegion.presignGetObject(p -> p.signatureDuration(
                        Duration.ofMinutes(1)).getObjectRequest(o -> o.bucket(bucket).key("out/job 1.log")))
                        .url().toString());
                assertEquals(400, region.statusCode());
                assertTrue(region.body().contains("<Region>eu-west-1</Region>"), region.body());
            }

            String shortLived = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1))
                    .getObjectRequest(o -> o.bucket(bucket).key("out/job 1.log"))).url().toString();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
                HttpResponse<String> r = get(shortLived);
                return r.statusCode() == 403 && r.body().contains("<Message>Request has expired</Message>");
            });
        }
    }

    @Test
    void postPolicyUploads() {
        try (S3AsyncClient s3 = S3TestSupport.client(server, http, "us-east-1")) {
            String bucket = newBucket(s3, "us-east-1");
            Instant now = Instant.now();
            Map<String, String> fields = policyFields(bucket, "uploads/job-1/", 10, now.plusSeconds(600), now);

            HttpResponse<String> ok = post(bucket, fields, "uploads/job-1/out.txt", "0123456789");
            assertEquals(204, ok.statusCode(), ok.body());
            assertEquals("0123456789", s3.getObject(b -> b.bucket(bucket).key("uploads/job-1/out.txt"),
                    AsyncResponseTransformer.toBytes()).join().asUtf8String());

            HttpResponse<String> outside = post(bucket, fields, "elsewhere/out.txt", "0123456789");
            assertEquals(403, outside.statusCode());
            assertTrue(outside.body().contains("Policy Condition failed"), outside.body());

            HttpResponse<String> tooLarge = post(bucket, fields, "uploads/job-1/big.txt", "01234567890");
            assertEquals(400, tooLarge.statusCode());
            assertTrue(tooLarge.body().contains("<Code>EntityTooLarge</Code>"), tooLarge.body());

            Map<String, String> expired = policyFields(bucket, "uploads/job-1/", 10, now.minusSeconds(1), now);
            HttpResponse<String> late = post(bucket, expired, "uploads/job-1/late.txt", "x");
            assertEquals(403, late.statusCode());
            assertTrue(late.body().contains("Policy expired"), late.body());

            Map<String, String> extra = new LinkedHashMap<>(fields);
            extra.put("x-amz-meta-owner", "someone");
            HttpResponse<String> unlisted = post(bucket, extra, "uploads/job-1/meta.txt", "x");
            assertEquals(403, unlisted.statusCode());
            assertTrue(unlisted.body().contains("Extra input fields: x-amz-meta-owner"), unlisted.body());

            Map<String, String> forged = new LinkedHashMap<>(fields);
            forged.put("x-amz-signature", "0".repeat(64));
            HttpResponse<String> badSig = post(bucket, forged, "uploads/job-1/forged.txt", "x");
            assertEquals(403, badSig.statusCode());
            assertTrue(badSig.body().contains("<Code>SignatureDoesNotMatch</Code>"), badSig.body());

            // only the accepted upload was stored
            assertEquals(1, s3.listObjectsV2(b -> b.bucket(bucket)).join().keyCount());
        }
    }

    /** The form fields of a SigV4 POST policy, signed by hand (the AWS SDK v2 has no POST policy builder). */
    private static Map<String, String> policyFields(String bucket, String prefix, long maxBytes, Instant expires,
                                                    Instant now) {
        String date = AMZ_DATE.format(now);
        String credential = S3TestSupport.KEY_ID + "/" + date.substring(0, 8) + "/us-east-1/s3/aws4_request";
        String policy = "{\"expiration\":\"" + expires + "\",\"conditions\":[{\"bucket\":\"" + bucket + "\"},"
                + "[\"starts-with\",\"$key\",\"" + prefix + "\"],[\"content-length-range\",0," + maxBytes + "],"
                + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},{\"x-amz-credential\":\"" + credential + "\"},"
                + "{\"x-amz-date\":\"" + date + "\"}]}";
        String b64 = Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
        byte[] key = SigV4Crypto.signingKey(S3TestSupport.SECRET, date.substring(0, 8), "us-east-1", "s3");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        f.put("x-amz-credential", credential);
        f.put("x-amz-date", date);
        f.put("policy", b64);
        f.put("x-amz-signature", SigV4Crypto.hex(SigV4Crypto.hmac(key, b64)));
        return f;
    }

    /** multipart/form-data as curl -F sends it: the fields, the key, then the file last. */
    private HttpResponse<String> post(String bucket, Map<String, String> fields, String key, String content) {
        String boundary = "----crossjobs" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("key", key);
        all.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"out.txt\""
                + "\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        return RawS3.send(URI.create(S3TestSupport.endpoint(server) + "/" + bucket), "POST",
                Map.of("Content-Type", "multipart/form-data; boundary=" + boundary),
                HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }
}

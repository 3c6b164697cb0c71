package io.crossjobs.mockcloud.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.account.AccountState;
import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.sim.Cloud;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What a node's secrets need of S3: a pre-signed GET then DELETE of one key, verified like any pre-signed request;
 * and how S3 answers a broken account, pre-signed requests included.
 */
@QuarkusTest
class S3AccountAndDeleteTest {
    private static final String REGION = "us-east-2";

    @Inject
    S3Server server;

    @Inject
    Accounts accounts;

    private static SdkAsyncHttpClient http;

    @BeforeAll
    static void httpClient() {
        http = NettyNioAsyncHttpClient.builder().build();
    }

    @AfterAll
    static void closeHttp() {
        http.close();
    }

    @AfterEach
    void heal() {
        accounts.clear();
    }

    private String bucketWith(S3AsyncClient s3, String key, String content) {
        String bucket = "d-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(REGION))).join();
        s3.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromString(content)).join();
        return bucket;
    }

    private static HttpResponse<String> send(String url, String method) {
        return RawS3.send(URI.create(url), method, Map.of(), HttpRequest.BodyPublishers.noBody());
    }

    private static String presignDelete(S3Presigner p, String bucket, String key, Duration valid) {
        return p.presignDeleteObject(r -> r.signatureDuration(valid).deleteObjectRequest(d -> d.bucket(bucket).key(key)))
                .url().toString();
    }

    private static String presignGet(S3Presigner p, String bucket, String key, Duration valid) {
        return p.presignGetObject(r -> r.signatureDuration(valid).getObjectRequest(d -> d.bucket(bucket).key(key)))
                .url().toString();
    }

    @Test
    void aPresignedDeleteRemovesItsKeyOnlyWhileValidAndRightlySigned() throws Exception {
        try (S3AsyncClient s3 = S3TestSupport.client(server, http, REGION);
             S3Presigner good = S3TestSupport.presigner(server, REGION, S3TestSupport.KEY_ID, S3TestSupport.SECRET);
             S3Presigner wrongSecret = S3TestSupport.presigner(server, REGION, S3TestSupport.KEY_ID, "not-the-secret")) {
            String bucket = bucketWith(s3, "c/secrets-0", "export A='1'\n");

            HttpResponse<String> forged = send(presignDelete(wrongSecret, bucket, "c/secrets-0", Duration.ofMinutes(5)),
                    "DELETE");
            assertEquals(403, forged.statusCode());
            assertTrue(forged.body().contains("<Code>SignatureDoesNotMatch</Code>"), forged.body());

            // a URL signed for GET does not delete: the method is part of the signature
            String get = presignGet(good, bucket, "c/secrets-0", Duration.ofMinutes(5));
            HttpResponse<String> getAsDelete = send(get, "DELETE");
            assertEquals(403, getAsDelete.statusCode());
            assertTrue(getAsDelete.body().contains("SignatureDoesNotMatch"), getAsDelete.body());

            String expiring = presignDelete(good, bucket, "c/secrets-0", Duration.ofSeconds(1));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> send(expiring, "DELETE").statusCode() == 403);
            // while it was valid it deleted the object; stored again, the expired URL deletes nothing
            s3.putObject(b -> b.bucket(bucket).key("c/secrets-0"), AsyncRequestBody.fromString("export A='1'\n")).join();
            HttpResponse<String> expired = send(expiring, "DELETE");
            assertTrue(expired.body().contains("Request has expired"), expired.body());
            assertEquals("export A='1'\n", send(get, "GET").body(), "nothing refused deleted the object");

            assertEquals(204, send(presignDelete(good, bucket, "c/secrets-0", Duration.ofMinutes(5)), "DELETE")
                    .statusCode());
            HttpResponse<String> gone = send(get, "GET");
            assertEquals(404, gone.statusCode());
            assertTrue(gone.body().contains("<Code>NoSuchKey</Code>"), gone.body());
            // S3 answers a DELETE of a missing key 204, as for one it removed
            assertEquals(204, send(presignDelete(good, bucket, "c/secrets-0", Duration.ofMinutes(5)), "DELETE")
                    .statusCode());
        }
    }

    @Test
    void aRevokedKeyIsUnknownToTheSdkAndToUrlsItSignedBefore() {
        try (S3AsyncClient s3 = S3TestSupport.client(server, http, REGION);
             S3Presigner p = S3TestSupport.presigner(server, REGION, S3TestSupport.KEY_ID, S3TestSupport.SECRET)) {
            String bucket = bucketWith(s3, "k", "v");
            String get = presignGet(p, bucket, "k", Duration.ofMinutes(5));

            accounts.set(Cloud.AWS, new AccountState(true, Set.of(), Set.of()));

            S3Exception e = (S3Exception) assertThrows(CompletionException.class,
                    () -> s3.listObjectsV2(b -> b.bucket(bucket)).join()).getCause();
            assertEquals(403, e.statusCode());
            assertEquals("InvalidAccessKeyId", e.awsErrorDetails().errorCode());
            HttpResponse<String> presigned = send(get, "GET");
            assertEquals(403, presigned.statusCode());
            assertTrue(presigned.body().contains("<Code>InvalidAccessKeyId</Code>"), presigned.body());
            // the other clouds' storage is another account
            assertTrue(!accounts.credentialsRevoked(Cloud.GCP));
        }
    }

    @Test
    void aDeniedActionIsAccessDeniedForTheSdkAndForPresignedRequests() {
        try (S3AsyncClient s3 = S3TestSupport.client(server, http, REGION);
             S3Presigner p = S3TestSupport.presigner(server, REGION, S3TestSupport.KEY_ID, S3TestSupport.SECRET)) {
            String bucket = bucketWith(s3, "k", "v");
            accounts.set(Cloud.AWS, new AccountState(false, Set.of("s3:GetObject", "s3:DeleteObject"), Set.of()));

            S3Exception e = (S3Exception) assertThrows(CompletionException.class, () -> s3.getObject(
                    b -> b.bucket(bucket).key("k"), AsyncResponseTransformer.toBytes()).join()).getCause();
            assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
            assertEquals(403, send(presignGet(p, bucket, "k", Duration.ofMinutes(5)), "GET").statusCode());
            assertEquals(403, send(presignDelete(p, bucket, "k", Duration.ofMinutes(5)), "DELETE").statusCode());
            // listing needs s3:ListBucket, which is granted
            assertEquals(1, s3.listObjectsV2(b -> b.bucket(bucket)).join().keyCount());

            accounts.clear();
            assertEquals("v", s3.getObject(b -> b.bucket(bucket).key("k"), AsyncResponseTransformer.toBytes()).join()
                    .asUtf8String(), "the denied DELETE removed nothing");
        }
    }

    @Test
    void aHeadBucketNamesTheBucketsRegionWhateverItAnswers() {
        try (S3AsyncClient s3 = S3TestSupport.client(server, http, REGION)) {
            String bucket = bucketWith(s3, "k", "v");
            HttpResponse<String> anonymous = RawS3.send(server, "HEAD", "/" + bucket, Map.of());
            assertEquals(403, anonymous.statusCode());
            assertEquals(REGION, anonymous.headers().firstValue("x-amz-bucket-region").orElse(null));
            HttpResponse<String> otherRegion = RawS3.send(server, "HEAD", "/" + bucket,
                    RawS3.headerAuth("us-east-1"));
            assertEquals(400, otherRegion.statusCode());
            assertEquals(REGION, otherRegion.headers().firstValue("x-amz-bucket-region").orElse(null));

            accounts.set(Cloud.AWS, new AccountState(false, Set.of("s3:ListBucket"), Set.of()));
            HttpResponse<String> denied = RawS3.send(server, "HEAD", "/" + bucket, RawS3.headerAuth(REGION));
            assertEquals(403, denied.statusCode());
            assertEquals(REGION, denied.headers().firstValue("x-amz-bucket-region").orElse(null));
            accounts.clear();

            HttpResponse<String> ok = RawS3.send(server, "HEAD", "/" + bucket, RawS3.headerAuth(REGION));
            assertEquals(200, ok.statusCode());
            assertEquals(REGION, ok.headers().firstValue("x-amz-bucket-region").orElse(null));
            HttpResponse<String> missing = RawS3.send(server, "HEAD", "/no-" + bucket, RawS3.headerAuth(REGION));
            assertEquals(404, missing.statusCode());
            assertTrue(missing.headers().firstValue("x-amz-bucket-region").isEmpty(), "no bucket, no region");
            // a HEAD of an object is no HeadBucket
            HttpResponse<String> object = RawS3.send(server, "HEAD", "/" + bucket + "/k", Map.of());
            assertEquals(403, object.statusCode());
            assertTrue(object.headers().firstValue("x-amz-bucket-region").isEmpty());
        }
    }
}

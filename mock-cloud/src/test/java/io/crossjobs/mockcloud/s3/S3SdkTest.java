package io.crossjobs.mockcloud.s3;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The real AWS SDK v2 (async, Netty, path-style) against mock-cloud's S3 listener. */
@QuarkusTest
class S3SdkTest {
    private static final int MIB = 1024 * 1024;

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

    private S3AsyncClient s3(String region) {
        return S3TestSupport.client(server, http, region);
    }

    private static String bucketName() {
        return "b-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static S3Exception failure(Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        return assertInstanceOf(S3Exception.class, e.getCause());
    }

    @Test
    void bucketLifecycleAndRegions() {
        String bucket = bucketName();
        try (S3AsyncClient east = s3("us-east-1"); S3AsyncClient west = s3("eu-west-1")) {
            east.createBucket(b -> b.bucket(bucket)).join();
            // us-east-1 answers 200 to re-creating a bucket you own there
            east.createBucket(b -> b.bucket(bucket)).join();
            east.headBucket(b -> b.bucket(bucket)).join();

            String euBucket = bucketName();
            // (without a constraint the SDK itself adds the client's region as LocationConstraint)
            S3Exception otherConstraint = failure(() -> west.createBucket(b -> b.bucket(euBucket)
                    .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_CENTRAL_1)))
                    .join());
            assertEquals("IllegalLocationConstraintException", otherConstraint.awsErrorDetails().errorCode());
            S3Exception eastConstraint = failure(() -> east.createBucket(b -> b.bucket(euBucket)
                    .createBucketConfiguration(c -> c.locationConstraint("us-east-1"))).join());
            assertEquals("InvalidLocationConstraint", eastConstraint.awsErrorDetails().errorCode());
            west.createBucket(b -> b.bucket(euBucket).createBucketConfiguration(c -> c.locationConstraint(
                    BucketLocationConstraint.EU_WEST_1))).join();
            assertInstanceOf(BucketAlreadyOwnedByYouException.class, failure(() -> west.createBucket(b -> b
                    .bucket(euBucket).createBucketConfiguration(c -> c.locationConstraint(
                            BucketLocationConstraint.EU_WEST_1))).join()));
            assertEquals("eu-west-1", west.getBucketLocation(b -> b.bucket(euBucket)).join()
                    .locationConstraintAsString());

            S3Exception wrongRegion = failure(() -> east.putObject(b -> b.bucket(euBucket).key("k"),
                    AsyncRequestBody.fromString("x")).join());
            assertEquals(400, wrongRegion.statusCode());
            assertEquals("AuthorizationHeaderMalformed", wrongRegion.awsErrorDetails().errorCode());

            // the SDK refuses some of these names itself, so they go over plain HTTP (header signatures are not
            // verified, the scope is)
            for (String bad : List.of("ab", "Upper-case", "a..b", "192.168.1.1", "-dash", "xn--punycode",
                    "name-s3alias", "under_score", "x".repeat(64))) {
                HttpResponse<String> invalid = RawS3.send(server, "PUT", "/" + bad, RawS3.headerAuth("us-east-1"));
                assertEquals(400, invalid.statusCode(), bad);
                assertTrue(invalid.body().contains("<Code>InvalidBucketName</Code>"), invalid.body());
            }
            HttpResponse<String> anonymous = RawS3.send(server, "GET", "/" + bucket, Map.of());
            assertEquals(403, anonymous.statusCode());
            assertTrue(anonymous.body().contains("<Code>AccessDenied</Code>"));
            HttpResponse<String> v2 = RawS3.send(server, "GET", "/" + bucket, Map.of("Authorization", "AWS mock:c2ln"));
            assertEquals(400, v2.statusCode());
            assertTrue(v2.body().contains("<Code>InvalidRequest</Code>"));

            west.putObject(b -> b.bucket(euBucket).key("k"), AsyncRequestBody.fromString("x")).join();
            S3Exception notEmpty = failure(() -> west.deleteBucket(b -> b.bucket(euBucket)).join());
            assertEquals(409, notEmpty.statusCode());
            assertEquals("BucketNotEmpty", notEmpty.awsErrorDetails().errorCode());
            west.deleteObject(b -> b.bucket(euBucket).key("k")).join();
            west.deleteBucket(b -> b.bucket(euBucket)).join();
            assertInstanceOf(NoSuchBucketException.class,
                    failure(() -> west.headBucket(b -> b.bucket(euBucket)).join()));
            assertInstanceOf(NoSuchBucketException.class, failure(() -> east.getObject(b -> b.bucket(euBucket)
                    .key("k"), AsyncResponseTransformer.toBytes()).join()));
        }
    }

    @Test
    void putGetRangeHeadDelete() throws Exception {
        String bucket = bucketName();
        try (S3AsyncClient s3 = s3("us-east-1")) {
            s3.createBucket(b -> b.bucket(bucket)).join();
            byte[] data = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
            String etag = s3.putObject(b -> b.bucket(bucket).key("dir/a b+c.txt").contentType("text/plain")
                    .metadata(Map.of("job", "j-1")), AsyncRequestBody.fromBytes(data)).join().eTag();
            assertEquals("\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)) + "\"", etag);

            ResponseBytes<GetObjectResponse> whole = s3.getObject(b -> b.bucket(bucket).key("dir/a b+c.txt"),
                    AsyncResponseTransformer.toBytes()).join();
            assertArrayEquals(data, whole.asByteArray());
            assertEquals("text/plain", whole.response().contentType());
            assertEquals("j-1", whole.response().metadata().get("job"));

            ResponseBytes<GetObjectResponse> part = s3.getObject(b -> b.bucket(bucket).key("dir/a b+c.txt")
                    .range("bytes=2-5"), AsyncResponseTransformer.toBytes()).join();
            assertEquals("2345", part.asUtf8String());
            assertEquals("bytes 2-5/16", part.response().contentRange());
            assertEquals("cdef", s3.getObject(b -> b.bucket(bucket).key("dir/a b+c.txt").range("bytes=-4"),
                    AsyncResponseTransformer.toBytes()).join().asUtf8String());
            S3Exception range = failure(() -> s3.getObject(b -> b.bucket(bucket).key("dir/a b+c.txt")
                    .range("bytes=16-"), AsyncResponseTransformer.toBytes()).join());
            assertEquals(416, range.statusCode());
            assertEquals("InvalidRange", range.awsErrorDetails().errorCode());

            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("dir/a b+c.txt")).join();
            assertEquals(16L, head.contentLength());
            assertEquals(etag, head.eTag());

            S3Exception digest = failure(() -> s3.putObject(b -> b.bucket(bucket).key("bad")
                    .contentMD5("AAAAAAAAAAAAAAAAAAAAAA=="), AsyncRequestBody.fromBytes(data)).join());
            assertEquals("BadDigest", digest.awsErrorDetails().errorCode());
            S3Exception longKey = failure(() -> s3.putObject(b -> b.bucket(bucket).key("k".repeat(1025)),
                    AsyncRequestBody.fromBytes(data)).join());
            assertEquals("KeyTooLongError", longKey.awsErrorDetails().errorCode());
            S3Exception meta = failure(() -> s3.putObject(b -> b.bucket(bucket).key("m")
                    .metadata(Map.of("big", "x".repeat(2100))), AsyncRequestBody.fromBytes(data)).join());
            assertEquals("MetadataTooLarge", meta.awsErrorDetails().errorCode());

            given().queryParam("cloud", "aws").queryParam("bucket", bucket).get("/mock/objects").then()
                    .statusCode(200).body("[0].objects.key", equalTo(List.of("dir/a b+c.txt")))
                    .body("[0].objects[0].size", equalTo(16)).body("[0].location", equalTo("us-east-1"));

            s3.deleteObject(b -> b.bucket(bucket).key("dir/a b+c.txt")).join();
            s3.deleteObject(b -> b.bucket(bucket).key("never-there")).join();
            assertInstanceOf(NoSuchKeyException.class, failure(() -> s3.getObject(b -> b.bucket(bucket)
                    .key("dir/a b+c.txt"), AsyncResponseTransformer.toBytes()).join()));
            assertInstanceOf(NoSuchKeyException.class,
                    failure(() -> s3.headObject(b -> b.bucket(bucket).key("dir/a b+c.txt")).join()));
        }
    }

    @Test
    void listPagesAndDelimiter() {
        String bucket = bucketName();
        try (S3AsyncClient s3 = s3("us-east-1")) {
            s3.createBucket(b -> b.bucket(bucket)).join();
            List<String> keys = List.of("logs/1.txt", "logs/2.txt", "out/a/x", "out/a/y", "out/b", "top", "z z");
            for (String k : keys) s3.putObject(b -> b.bucket(bucket).key(k), AsyncRequestBody.fromString(k)).join();

            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String t = token;
                ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(3)
                        .continuationToken(t)).join();
                page.contents().forEach(o -> seen.add(o.key()));
                token = page.nextContinuationToken();
                assertEquals(token != null, page.isTruncated());
                pages++;
            } while (token != null);
            assertEquals(keys, seen);
            assertEquals(3, pages);

            ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/")).join();
            assertEquals(List.of("logs/", "out/"), top.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
            assertEquals(List.of("top", "z z"), top.contents().stream().map(S3Object::key).toList());

            ListObjectsV2Response out = s3.listObjectsV2(b -> b.bucket(bucket).prefix("out/").delimiter("/")).join();
            assertEquals(List.of("out/a/"), out.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
            assertEquals(List.of("out/b"), out.contents().stream().map(S3Object::key).toList());

            // a page holding one common prefix resumes after every key under it
            ListObjectsV2Response first = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/").maxKeys(1)).join();
            assertEquals("logs/", first.commonPrefixes().get(0).prefix());
            ListObjectsV2Response second = s3.listObjectsV2(b -> b.bucket(bucket).delimiter("/").maxKeys(1)
                    .continuationToken(first.nextContinuationToken())).join();
            assertEquals("out/", second.commonPrefixes().get(0).prefix());

            assertEquals(List.of("out/b", "top", "z z"), s3.listObjectsV2(b -> b.bucket(bucket)
                    .startAfter("out/a/y")).join().contents().stream().map(S3Object::key).toList());
            S3Exception badToken = failure(() -> s3.listObjectsV2(b -> b.bucket(bucket)
                    .continuationToken("not-a-token")).join());
            assertEquals("InvalidArgument", badToken.awsErrorDetails().errorCode());

            s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(keys.stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList()).build())).join();
            assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket)).join().keyCount());
        }
    }

    @Test
    void hundredMegabytesInMultipartUpload() throws Exception {
        String bucket = bucketName();
        int parts = 20;
        int partSize = 5 * MIB;
        try (S3AsyncClient s3 = s3("us-east-1")) {
            s3.createBucket(b -> b.bucket(bucket)).join();
            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("big.bin")).join().uploadId();
            MessageDigest ofMd5s = MessageDigest.getInstance("MD5");
            List<CompletedPart> done = new ArrayList<>();
            byte[] lastPart = null;
            for (int n = 1; n <= parts; n++) {
                byte[] bytes = new byte[partSize];
                new Random(n).nextBytes(bytes);
                ofMd5s.update(MessageDigest.getInstance("MD5").digest(bytes));
                int number = n;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key("big.bin").uploadId(uploadId)
                        .partNumber(number), AsyncRequestBody.fromBytes(bytes)).join().eTag();
                done.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                lastPart = bytes;
            }
            String etag = s3.completeMultipartUpload(b -> b.bucket(bucket).key("big.bin").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done))).join().eTag();
            String expected = "\"" + HexFormat.of().formatHex(ofMd5s.digest()) + "-" + parts + "\"";
            assertEquals(expected, etag);
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("big.bin")).join();
            assertEquals(100L * MIB, head.contentLength());
            assertEquals(expected, head.eTag());
            byte[] tail = s3.getObject(b -> b.bucket(bucket).key("big.bin").range("bytes=-1024"),
                    AsyncResponseTransformer.toBytes()).join().asByteArray();
            byte[] wanted = new byte[1024];
            System.arraycopy(lastPart, partSize - 1024, wanted, 0, 1024);
            assertArrayEquals(wanted, tail);
            given().queryParam("cloud", "aws").queryParam("bucket", bucket).get("/mock/objects").then()
                    .statusCode(200).body("[0].objects[0].size", equalTo(100 * MIB))
                    .body("[0].objects[0].etag", equalTo(expected.replace("\"", "")));

            // every part but the last must be at least 5 MiB
            String small = s3.createMultipartUpload(b -> b.bucket(bucket).key("small")).join().uploadId();
            List<CompletedPart> smallParts = new ArrayList<>();
            for (int n = 1; n <= 2; n++) {
                int number = n;
                String e = s3.uploadPart(b -> b.bucket(bucket).key("small").uploadId(small).partNumber(number),
                        AsyncRequestBody.fromString("tiny part " + n)).join().eTag();
                smallParts.add(CompletedPart.builder().partNumber(n).eTag(e).build());
            }
            S3Exception tooSmall = failure(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("small")
                    .uploadId(small).multipartUpload(m -> m.parts(smallParts))).join());
            assertEquals("EntityTooSmall", tooSmall.awsErrorDetails().errorCode());
            S3Exception order = failure(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key("small")
                    .uploadId(small).multipartUpload(m -> m.parts(smallParts.get(1), smallParts.get(0)))).join());
            assertEquals("InvalidPartOrder", order.awsErrorDetails().errorCode());
            S3Exception partNumber = failure(() -> s3.uploadPart(b -> b.bucket(bucket).key("small").uploadId(small)
                    .partNumber(10_001), AsyncRequestBody.fromString("x")).join());
            assertEquals("InvalidArgument", partNumber.awsErrorDetails().errorCode());
            s3.abortMultipartUpload(b -> b.bucket(bucket).key("small").uploadId(small)).join();
            S3Exception gone = failure(() -> s3.uploadPart(b -> b.bucket(bucket).key("small").uploadId(small)
                    .partNumber(3), AsyncRequestBody.fromString("x")).join());
            assertEquals("NoSuchUpload", gone.awsErrorDetails().errorCode());
            assertTrue(s3.listObjectsV2(b -> b.bucket(bucket)).join().contents().stream()
                    .noneMatch(o -> o.key().equals("small")));
        }
    }
}

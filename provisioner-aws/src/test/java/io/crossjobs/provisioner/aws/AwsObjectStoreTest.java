package io.crossjobs.provisioner.aws;

import io.crossjobs.events.SignedRequest;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.provisioner.aws.service.AwsClients;
import io.crossjobs.testsupport.KafkaResource;
import io.crossjobs.testsupport.MockCloudProcess;
import io.crossjobs.testsupport.ObjectStoreContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The object-store contract on S3 (mock-cloud's), plus what is S3's own: regions, large objects, folder markers. */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MockCloudResource.class, restrictToAnnotatedClass = true)
class AwsObjectStoreTest extends ObjectStoreContract {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int MIB = 1024 * 1024;

    @Inject
    CloudProvisioner provisioner;

    @Inject
    AwsClients clients;

    @Override
    protected String cloud() {
        return "aws";
    }

    @Test
    void theStoreIsTheConfiguredBucketInTheOutputRegionAndUrlsPointAtTheEndpointOverride() {
        assertEquals("s3://crossjobs-store", provisioner.ensureStore());
        SignedRequest get = provisioner.sign("GET", "s3://crossjobs-store/a/b c.txt", Duration.ofMinutes(1));
        String endpoint = MockCloudProcess.shared().s3Endpoint().replaceAll("/+$", "");
        assertTrue(get.url().startsWith(endpoint + "/crossjobs-store/a/b%20c.txt?"), get.url());
        assertTrue(get.url().contains("%2Fus-east-1%2Fs3%2Faws4_request"), "signed for the bucket's region: "
                + get.url());
        assertEquals(Map.of(), get.headers(), "only host is signed, which every client sends");
        assertEquals("us-east-1", clients.s3("us-east-1").headBucket(b -> b.bucket("crossjobs-store")).join()
                .bucketRegion());
    }

    @Test
    void aUsersBucketInAnotherRegionIsSignedAndListedForItsRegion() throws Exception {
        String bucket = "user-" + UUID.randomUUID().toString().substring(0, 8);
        clients.s3("eu-west-1").createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c
                .locationConstraint(BucketLocationConstraint.EU_WEST_1))).join();
        String object = "s3://" + bucket + "/data/x.bin";
        SignedRequest put = provisioner.sign("PUT", object, Duration.ofMinutes(5));
        assertTrue(put.url().contains("%2Feu-west-1%2Fs3%2Faws4_request"), put.url());
        assertEquals(200, send(put, new byte[]{1, 2, 3}).statusCode());
        // a folder marker as the S3 console makes it holds nothing to copy
        assertEquals(200, send(provisioner.sign("PUT", "s3://" + bucket + "/data/empty-folder/",
                Duration.ofMinutes(5)), new byte[0]).statusCode());
        assertEquals(List.of(new io.crossjobs.events.StoredObject(object, 3)),
                provisioner.listObjects("s3://" + bucket + "/data", 10));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> provisioner.sign("GET", "s3://no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8)
                        + "/x", Duration.ofMinutes(1)));
        assertTrue(missing.getMessage().contains("no S3 bucket"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> provisioner.sign("GET", "s3://" + bucket,
                Duration.ofMinutes(1)), "a bucket is not an object");
    }

    @Test
    void aListingFollowsS3sPagesOfAThousand() throws Exception {
        String folder = provisioner.ensureStore() + "/many-" + UUID.randomUUID() + "/";
        String prefix = folder.substring("s3://crossjobs-store/".length());
        CompletableFuture.allOf(IntStream.range(0, 1001).mapToObj(i -> clients.s3().putObject(b -> b
                .bucket("crossjobs-store").key(prefix + i), AsyncRequestBody.fromBytes(new byte[]{7})))
                .toArray(CompletableFuture[]::new)).join();
        assertEquals(1001, provisioner.listObjects(folder, 1001).size());
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> provisioner.listObjects(folder, 1000));
        assertTrue(tooMany.getMessage().contains("1000"), tooMany.getMessage());
    }

    @Test
    void aHundredMegabyteArchiveGoesUpAndComesBackThroughSignedRequests() throws Exception {
        String object = provisioner.ensureStore() + "/archives/big-" + UUID.randomUUID() + ".tar.gz";
        byte[] bytes = new byte[100 * MIB];
        new Random(3).nextBytes(bytes);
        assertEquals(200, send(provisioner.sign("PUT", object, Duration.ofMinutes(5)), bytes).statusCode());
        SignedRequest get = provisioner.sign("GET", object, Duration.ofMinutes(5));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(get.url())).GET();
        get.headers().forEach(b::header);
        HttpResponse<InputStream> got = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, got.statusCode());
        byte[] back = new byte[bytes.length];
        int size = 0;
        try (InputStream in = got.body()) {
            for (int n; size < back.length && (n = in.read(back, size, back.length - size)) > 0; ) size += n;
            assertEquals(-1, in.read(), "nothing more than was stored");
        }
        assertEquals(bytes.length, size);
        assertArrayEquals(bytes, back, "a signed GET reads what the signed PUT stored");
        assertEquals(204, send(provisioner.sign("DELETE", object, Duration.ofMinutes(5)), null).statusCode());
    }

    private static HttpResponse<String> send(SignedRequest request, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url())).method(request.method(),
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

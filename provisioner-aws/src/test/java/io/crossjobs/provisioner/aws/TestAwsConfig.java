package io.crossjobs.provisioner.aws;

import io.crossjobs.provisioner.aws.config.AwsConfig;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code crossjobs.aws.*} for the adapter tests: mock-cloud at {@code endpoint} (and its S3), its credentials, no SDK
 * retries (a fault surfaces on the first call), pages of 5; images as the application's defaults unless a
 * {@code with...} says otherwise.
 */
record TestAwsConfig(String endpoint, String imageSsmParameter, Optional<String> imageId,
                     Map<String, String> imageIds, Duration imageCacheTtl) implements AwsConfig {
    static final String UBUNTU_2204 =
            "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id";

    static TestAwsConfig at(String endpoint) {
        return new TestAwsConfig(endpoint, UBUNTU_2204, Optional.empty(), Map.of(), Duration.ofHours(1));
    }

    TestAwsConfig withImageSsmParameter(String parameter) {
        return new TestAwsConfig(endpoint, parameter, imageId, imageIds, imageCacheTtl);
    }

    TestAwsConfig withImageId(String id) {
        return new TestAwsConfig(endpoint, imageSsmParameter, Optional.of(id), imageIds, imageCacheTtl);
    }

    TestAwsConfig withImageIds(Map<String, String> ids) {
        return new TestAwsConfig(endpoint, imageSsmParameter, imageId, Map.copyOf(ids), imageCacheTtl);
    }

    @Override public Optional<URI> endpointOverride() { return Optional.of(URI.create(endpoint)); }
    @Override public Optional<URI> s3EndpointOverride() {
        return Optional.of(URI.create(io.crossjobs.testsupport.MockCloudProcess.shared().s3Endpoint()));
    }
    @Override public String outputBucket() { return "crossjobs-output-test"; }
    @Override public String storeBucket() { return "crossjobs-store-test"; }
    @Override public String outputRegion() { return "us-east-2"; }
    // mock-cloud's S3 checks pre-signed requests against its one key pair
    @Override public Optional<String> accessKeyId() { return Optional.of("mock"); }
    @Override public Optional<String> secretAccessKey() { return Optional.of("mock"); }
    @Override public String defaultInstanceType() { return "t3.micro"; }
    @Override public OptionalInt sdkMaxAttempts() { return OptionalInt.of(1); }
    @Override public int pageSize() { return 5; }
    @Override public Duration callTimeout() { return Duration.ofSeconds(20); }
}

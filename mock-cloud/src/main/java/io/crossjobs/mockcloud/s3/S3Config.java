package io.crossjobs.mockcloud.s3;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code mock-cloud.s3.*}: the S3 front end's listener, the account's key pair and its strict limits. */
@ConfigMapping(prefix = "mock-cloud.s3")
public interface S3Config {

    /** Plain-http port of the S3 REST API (path-style); 0 picks a free one. */
    @WithDefault("8091")
    int port();

    /** Interface to listen on (0.0.0.0 in a container). */
    @WithDefault("127.0.0.1")
    String host();

    /**
     * The account's access key id: presigned URLs and POST policies must be signed with this pair (the SDK's own
     * header-signed calls are not verified). The defaults are the local stack's {@code crossjobs.aws.*} keys.
     */
    @WithDefault("mock")
    String accessKeyId();

    @WithDefault("mock")
    String secretAccessKey();

    /** Largest single PUT (and POST) upload: 5 GiB, as S3 documents. */
    @WithDefault("5368709120")
    long maxPutBytes();

    /** Smallest multipart part except the last: 5 MiB, as S3 documents. */
    @WithDefault("5242880")
    long minPartBytes();

    /** Most buckets per account: S3's default quota of 10,000. */
    @WithDefault("10000")
    int maxBuckets();

    /** Allowed clock skew for a presigned request whose X-Amz-Date lies in the future. */
    @WithDefault("900")
    int futureSkewSeconds();
}

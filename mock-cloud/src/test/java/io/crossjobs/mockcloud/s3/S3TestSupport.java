package io.crossjobs.mockcloud.s3;

import java.net.URI;
import java.util.function.Consumer;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The real SDK pointed at mock-cloud's S3 listener, path-style, with the account's keys (mock/mock by default). */
final class S3TestSupport {
    static final String KEY_ID = "mock";
    static final String SECRET = "mock";

    private S3TestSupport() { }

    static URI endpoint(S3Server server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    static S3AsyncClient client(S3Server server, SdkAsyncHttpClient http, String region) {
        return client(server, http, region, b -> { });
    }

    static S3AsyncClient client(S3Server server, SdkAsyncHttpClient http, String region,
                                Consumer<software.amazon.awssdk.services.s3.S3AsyncClientBuilder> more) {
        var b = S3AsyncClient.builder().endpointOverride(endpoint(server)).forcePathStyle(true)
                .region(Region.of(region)).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)));
        more.accept(b);
        return b.build();
    }

    static S3Presigner presigner(S3Server server, String region, String keyId, String secret) {
        return S3Presigner.builder().endpointOverride(endpoint(server)).region(Region.of(region))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .build();
    }
}

package io.crossjobs.provisioner.aws.service;

import io.crossjobs.provisioner.aws.config.AwsConfig;
import io.crossjobs.provisioner.service.CallPacer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.ssm.SsmAsyncClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One EC2 client and one SSM client per region (endpoints and SigV4 scopes are regional) and one S3 client and
 * presigner per region of the buckets it reaches (the output bucket's, the store's, users' buckets of file
 * mounts), all sharing one Netty HTTP client and one credentials provider; {@code endpoint-override} for EC2 and SSM
 * (mock-cloud answers both on one port), {@code s3-endpoint-override} for S3.
 * Created on first use, closed with the application.
 */
@ApplicationScoped
public class AwsClients {
    private final AwsConfig config;
    private final CallPacer pacer;
    private final SdkAsyncHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Map<String, Ec2AsyncClient> ec2 = new ConcurrentHashMap<>();
    private final Map<String, SsmAsyncClient> ssm = new ConcurrentHashMap<>();
    private final Map<String, S3AsyncClient> s3 = new ConcurrentHashMap<>();
    private final Map<String, S3Presigner> presigners = new ConcurrentHashMap<>();
    private final Map<String, StsAsyncClient> sts = new ConcurrentHashMap<>();

    public AwsClients(AwsConfig config, CallPacer pacer) {
        this.config = config;
        this.pacer = pacer;
        this.http = NettyNioAsyncHttpClient.builder().build();
        this.credentials = config.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId().get(),
                        config.secretAccessKey().orElseThrow(() -> new IllegalStateException(
                                "crossjobs.aws.secret-access-key must be set with crossjobs.aws.access-key-id"))))
                : DefaultCredentialsProvider.builder().build();
    }

    /** The region's EC2 client, its calls paced to EC2's request buckets ({@link Ec2Pacing}). */
    public Ec2AsyncClient ec2(String region) {
        return ec2.computeIfAbsent(region, r -> configured(Ec2AsyncClient.builder(), r).build());
    }

    /** Systems Manager, for the public parameters that name each region's AMI. */
    public SsmAsyncClient ssm(String region) {
        return ssm.computeIfAbsent(region, r -> configured(SsmAsyncClient.builder(), r).build());
    }

    /**
     * S3 in the output bucket's region. Not paced: S3 takes thousands of requests per second per prefix, and
     * each node reads its own prefix.
     */
    public S3AsyncClient s3() {
        return s3(config.outputRegion());
    }

    /**
     * S3 signing for {@code region}: a bucket answers only requests signed for its own region (users' buckets of
     * file mounts may be anywhere).
     */
    public S3AsyncClient s3(String region) {
        return s3.computeIfAbsent(region, r -> {
            var builder = S3AsyncClient.builder().region(Region.of(r)).credentialsProvider(credentials)
                    .httpClient(http).overrideConfiguration(o -> o.apiCallTimeout(config.callTimeout()));
            config.s3EndpointOverride().ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
            return builder.build();
        });
    }

    /** Pre-signs requests of the output bucket (the nodes' secrets) with the provisioner's credentials. */
    public S3Presigner presigner() {
        return presigner(config.outputRegion());
    }

    /** Pre-signs requests of a bucket in {@code region} with the provisioner's credentials. */
    public S3Presigner presigner(String region) {
        return presigners.computeIfAbsent(region, r -> {
            var builder = S3Presigner.builder().region(Region.of(r)).credentialsProvider(credentials);
            config.s3EndpointOverride().ifPresent(e -> builder.endpointOverride(e)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
            return builder.build();
        });
    }

    /** STS in {@code region}, for whose credentials these are ({@code crossjobs check}); {@code endpoint-override} too. */
    public StsAsyncClient sts(String region) {
        return sts.computeIfAbsent(region, r -> configured(StsAsyncClient.builder(), r).build());
    }

    /** Whom the calls are made as; pre-signed uploads are signed with the same credentials. */
    public AwsCredentialsProvider credentials() { return credentials; }

    private <B extends AwsClientBuilder<B, C> & AwsAsyncClientBuilder<B, C>, C> B configured(B builder,
                                                                                           String region) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(o -> {
                    o.apiCallTimeout(config.callTimeout());
                    o.addExecutionInterceptor(new Ec2Pacing(pacer, region, config.callTimeout()));
                    config.sdkMaxAttempts().ifPresent(n -> o.retryStrategy(r -> r.maxAttempts(n)));
                });
        config.endpointOverride().ifPresent(builder::endpointOverride);
        return builder;
    }

    @PreDestroy
    public void close() {
        ec2.values().forEach(Ec2AsyncClient::close);
        ssm.values().forEach(SsmAsyncClient::close);
        sts.values().forEach(StsAsyncClient::close);
        s3.values().forEach(S3AsyncClient::close);
        presigners.values().forEach(S3Presigner::close);
        http.close();
    }
}

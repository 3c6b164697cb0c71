package io.crossjobs.provisioner.aws.service;

import io.crossjobs.provisioner.aws.config.AwsConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2AsyncClientBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One EC2 client per region (EC2 endpoints and SigV4 scopes are regional), all sharing one Netty HTTP client
 * and one credentials provider. Created on first use, closed with the application.
 */
@ApplicationScoped
public class Ec2Clients {
    private final AwsConfig config;
    private final SdkAsyncHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final Map<String, Ec2AsyncClient> byRegion = new ConcurrentHashMap<>();

    public Ec2Clients(AwsConfig config) {
        this.config = config;
        this.http = NettyNioAsyncHttpClient.builder().build();
        this.credentials = config.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId().get(),
                        config.secretAccessKey().orElseThrow(() -> new IllegalStateException(
                                "crossjobs.aws.secret-access-key must be set with crossjobs.aws.access-key-id"))))
                : DefaultCredentialsProvider.builder().build();
    }

    public Ec2AsyncClient in(String region) {
        return byRegion.computeIfAbsent(region, this::create);
    }

    private Ec2AsyncClient create(String region) {
        Ec2AsyncClientBuilder b = Ec2AsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClient(http)
                .overrideConfiguration(o -> {
                    o.apiCallTimeout(config.callTimeout());
                    config.sdkMaxAttempts().ifPresent(n -> o.retryStrategy(r -> r.maxAttempts(n)));
                });
        config.endpointOverride().ifPresent(b::endpointOverride);
        return b.build();
    }

    @PreDestroy
    public void close() {
        byRegion.values().forEach(Ec2AsyncClient::close);
        http.close();
    }
}

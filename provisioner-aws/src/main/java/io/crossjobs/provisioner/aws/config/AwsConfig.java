package io.crossjobs.provisioner.aws.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code crossjobs.aws.*}: how to reach EC2. The regions polled are {@code crossjobs.provisioner.regions}. */
@ConfigMapping(prefix = "crossjobs.aws")
public interface AwsConfig {

    /** Set to talk to mock-cloud (or any EC2-compatible endpoint) instead of AWS. */
    Optional<URI> endpointOverride();

    /** With the secret: static credentials. Without: the SDK's default chain (env, profile, instance role). */
    Optional<String> accessKeyId();

    Optional<String> secretAccessKey();

    /** Image booted by every node. AMI ids are regional: one image id suits one region (or mock-cloud). */
    @WithDefault("ami-0fc5d935ebf8bc3bc")
    String imageId();

    /** Instance type when the placement names none. */
    @WithDefault("t3.micro")
    String defaultInstanceType();

    /** The SDK's own attempts per call (its retry of throttling and 5xx); unset keeps the SDK default. */
    OptionalInt sdkMaxAttempts();

    /** Page size of DescribeInstances (EC2 accepts 5 to 1000). */
    @WithDefault("1000")
    int pageSize();

    /** Upper bound of one API call including the SDK's retries. */
    @WithDefault("60s")
    Duration callTimeout();
}

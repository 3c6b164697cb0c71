package io.crossjobs.provisioner.aws.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code crossjobs.aws.*}: how to reach EC2 (and SSM) and which image to boot. The regions polled are
 * {@code crossjobs.provisioner.regions}.
 */
@ConfigMapping(prefix = "crossjobs.aws")
public interface AwsConfig {

    /** Set to talk to mock-cloud (or any EC2-compatible endpoint) instead of AWS. */
    Optional<URI> endpointOverride();

    /**
     * Set to talk to mock-cloud's S3 (path-style addressing) instead of AWS's; mock-cloud serves S3 on a port of
     * its own.
     */
    Optional<URI> s3EndpointOverride();

    /**
     * The S3 bucket nodes ship their output to, made on first use in {@link #outputRegion()}. Bucket names are
     * global: on AWS choose one no other account holds (e.g. with your account id in it).
     */
    @WithDefault("crossjobs-output")
    String outputBucket();

    /**
     * crossjobs' own bucket for the workdirs and files the CLI uploads (file mounts) when {@code jobs.bucket} names
     * none, made on first use in {@link #outputRegion()} and deleted by {@code crossjobs store remove}. Bucket names
     * are global: on AWS choose one no other account holds, as for the output bucket.
     */
    @WithDefault("crossjobs-store")
    String storeBucket();

    /** Where the output bucket and the store's bucket are made; nodes in other regions reach them across regions. */
    @WithDefault("us-east-1")
    String outputRegion();

    /** With the secret: static credentials. Without: the SDK's default chain (env, profile, instance role). */
    Optional<String> accessKeyId();

    Optional<String> secretAccessKey();

    /**
     * The public SSM parameter whose value, read in each region, is the AMI that region boots (AMI ids are
     * regional). Default: Canonical's Ubuntu 22.04 LTS, amd64. Used where neither {@link #imageIds()} nor
     * {@link #imageId()} names an image.
     */
    @WithDefault("/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id")
    String imageSsmParameter();

    /** One AMI for every region, instead of the SSM parameter; it must be registered in each region launched in. */
    Optional<String> imageId();

    /** AMIs per region ({@code crossjobs.aws.image-ids.eu-west-1=ami-...}); they win over the two above. */
    Map<String, String> imageIds();

    /** How long a region's image (parameter value and root device name) is reused before it is read again. */
    @WithDefault("1h")
    Duration imageCacheTtl();

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

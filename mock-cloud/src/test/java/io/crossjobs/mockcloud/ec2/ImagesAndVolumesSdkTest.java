package io.crossjobs.mockcloud.ec2;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.admin.ArmedFaults;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import jakarta.inject.Inject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;
import software.amazon.awssdk.services.ssm.SsmAsyncClient;
import software.amazon.awssdk.services.ssm.model.GetParametersResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.SsmException;

/**
 * Regional images, root volumes and user data as EC2 refuses them, and the public SSM parameters that name each
 * region's image, through the real AWS SDK v2 clients (EC2 and SSM on the same port).
 */
@QuarkusTest
class ImagesAndVolumesSdkTest {
    private static final Region EAST = Region.US_EAST_1;
    private static final Region WEST = Region.EU_WEST_1;

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    VmSimulator sim;

    @Inject
    ApiRateLimiter limits;

    private static SdkAsyncHttpClient http;

    private final ArmedFaults faults = new ArmedFaults();

    /** EC2's request buckets are full at each test's start, as on an account nothing else calls. */
    @BeforeEach
    void fullBuckets() {
        limits.reset();
    }

    @AfterEach
    void disarmFaults() {
        faults.disarm();
    }

    @BeforeAll
    static void httpClient() {
        http = NettyNioAsyncHttpClient.builder().build();
    }

    @AfterAll
    static void closeHttp() {
        http.close();
    }

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMOCKCLOUD", "mock-secret"));

    private Ec2AsyncClient ec2(Region region) {
        return Ec2AsyncClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(CREDENTIALS)
                .httpClient(http).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    private SsmAsyncClient ssm(Region region) {
        return SsmAsyncClient.builder().endpointOverride(endpoint).region(region).credentialsProvider(CREDENTIALS)
                .httpClient(http).overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    private static String imageOf(SsmAsyncClient ssm, String parameter) {
        return ssm.getParameter(b -> b.name(parameter)).join().parameter().value();
    }

    private static RunInstancesRequest.Builder run(String imageId, String job) {
        return RunInstancesRequest.builder().imageId(imageId).instanceType(InstanceType.T3_MICRO).minCount(1)
                .maxCount(1).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("crossjobs-job-id").value(job).build()).build());
    }

    private static BlockDeviceMapping root(int gib, VolumeType type) {
        return BlockDeviceMapping.builder().deviceName("/dev/sda1")
                .ebs(e -> e.volumeSize(gib).volumeType(type).deleteOnTermination(true)).build();
    }

    private static <T extends AwsServiceException> T refused(Class<T> type, Runnable call) {
        CompletionException e = assertThrows(CompletionException.class, call::run);
        assertTrue(type.isInstance(e.getCause()), String.valueOf(e.getCause()));
        return type.cast(e.getCause());
    }

    private long instancesOf(String job) {
        return sim.list(vm -> job.equals(vm.tags().get("crossjobs-job-id"))).size();
    }

    private static String job() {
        return "job-" + UUID.randomUUID();
    }

    // ---------------------------------------------------------------- tests

    @Test
    void theSsmParameterNamesEachRegionsOwnImage() {
        try (SsmAsyncClient east = ssm(EAST); SsmAsyncClient west = ssm(WEST);
             Ec2AsyncClient ec2East = ec2(EAST); Ec2AsyncClient ec2West = ec2(WEST)) {
            Parameter p = east.getParameter(b -> b.name(Ec2Images.UBUNTU_2204_AMD64)).join().parameter();
            assertEquals(Ec2Images.UBUNTU_2204_AMD64, p.name());
            assertEquals("String", p.typeAsString());
            assertEquals("arn:aws:ssm:us-east-1::parameter" + Ec2Images.UBUNTU_2204_AMD64, p.arn());
            assertTrue(p.value().matches("ami-[0-9a-f]{17}"), p.value());
            String westId = imageOf(west, Ec2Images.UBUNTU_2204_AMD64);
            assertNotEquals(p.value(), westId, "AMI ids are regional");

            Image image = ec2East.describeImages(b -> b.imageIds(p.value())).join().images().get(0);
            assertEquals("x86_64", image.architectureAsString());
            assertEquals("/dev/sda1", image.rootDeviceName());
            assertEquals(8, image.blockDeviceMappings().get(0).ebs().volumeSize());
            assertTrue(image.name().contains("ubuntu-jammy-22.04-amd64"), image.name());
            assertEquals(westId, ec2West.describeImages(b -> b.imageIds(westId)).join().images().get(0).imageId());
            assertEquals("arm64", ec2East.describeImages(b -> b.imageIds(imageOf(east, Ec2Images.AL2023_ARM64)))
                    .join().images().get(0).architectureAsString());

            GetParametersResponse both = east.getParameters(b -> b.names(Ec2Images.AL2023_X86_64,
                    "/aws/service/no/such/parameter")).join();
            assertEquals(List.of("/aws/service/no/such/parameter"), both.invalidParameters());
            assertEquals(List.of(Ec2Images.AL2023_X86_64), both.parameters().stream().map(Parameter::name).toList());
        }
    }

    @Test
    void anUnknownParameterIsParameterNotFound() {
        try (SsmAsyncClient east = ssm(EAST)) {
            ParameterNotFoundException e = refused(ParameterNotFoundException.class,
                    () -> east.getParameter(b -> b.name("/aws/service/canonical/ubuntu/server/99.04/ami-id")).join());
            assertEquals(400, e.statusCode());
            assertEquals("ParameterNotFound", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void anSsmFaultIsSsmsErrorEnvelope() {
        faults.arm("{\"cloud\":\"aws\",\"region\":\"eu-west-1\",\"action\":\"GetParameter\","
                + "\"errorCode\":\"AccessDeniedException\",\"message\":\"not allowed\"}");
        try (SsmAsyncClient west = ssm(WEST)) {
            SsmException e = refused(SsmException.class,
                    () -> west.getParameter(b -> b.name(Ec2Images.UBUNTU_2204_AMD64)).join());
            assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
            assertEquals("not allowed", e.awsErrorDetails().errorMessage());
            assertEquals(400, e.statusCode());
        }
    }

    @Test
    void anotherRegionsImageIsNotFound() {
        try (SsmAsyncClient east = ssm(EAST); Ec2AsyncClient west = ec2(WEST)) {
            String eastImage = imageOf(east, Ec2Images.UBUNTU_2204_AMD64);
            String job = job();
            Ec2Exception e = refused(Ec2Exception.class, () -> west.runInstances(run(eastImage, job).build()).join());
            assertEquals("InvalidAMIID.NotFound", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
            assertEquals("The image id '[" + eastImage + "]' does not exist", e.awsErrorDetails().errorMessage());
            assertEquals(0, instancesOf(job));

            Ec2Exception describe = refused(Ec2Exception.class,
                    () -> west.describeImages(b -> b.imageIds(eastImage)).join());
            assertEquals("InvalidAMIID.NotFound", describe.awsErrorDetails().errorCode());
        }
    }

    @Test
    void anImageOfAnotherArchitectureIsRefused() {
        try (SsmAsyncClient east = ssm(EAST); Ec2AsyncClient ec2 = ec2(EAST)) {
            String amd64 = imageOf(east, Ec2Images.UBUNTU_2204_AMD64);
            Ec2Exception e = refused(Ec2Exception.class, () -> ec2.runInstances(run(amd64, job())
                    .instanceType(InstanceType.T4_G_MICRO).build()).join());
            assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
            assertTrue(e.awsErrorDetails().errorMessage().contains("'arm64'"), e.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void theRootVolumeIsAsAskedAndReadBackThroughDescribeVolumes() {
        try (SsmAsyncClient ssm = ssm(WEST); Ec2AsyncClient ec2 = ec2(WEST)) {
            String image = imageOf(ssm, Ec2Images.UBUNTU_2204_AMD64);
            String id = ec2.runInstances(run(image, job()).blockDeviceMappings(root(40, VolumeType.GP3)).build())
                    .join().instances().get(0).instanceId();

            Instance described = ec2.describeInstances(b -> b.instanceIds(id)).join().reservations().get(0)
                    .instances().get(0);
            assertEquals(image, described.imageId());
            assertEquals("/dev/sda1", described.rootDeviceName());
            InstanceBlockDeviceMapping mapping = described.blockDeviceMappings().get(0);
            assertEquals("/dev/sda1", mapping.deviceName());
            assertTrue(mapping.ebs().deleteOnTermination());
            String volumeId = mapping.ebs().volumeId();
            Volume volume = ec2.describeVolumes(b -> b.volumeIds(volumeId)).join().volumes().get(0);
            assertEquals(40, volume.size());
            assertEquals(VolumeType.GP3, volume.volumeType());
            assertEquals("in-use", volume.stateAsString());
            assertEquals(id, volume.attachments().get(0).instanceId());
            assertEquals("eu-west-1a", volume.availabilityZone());

            ec2.terminateInstances(b -> b.instanceIds(id)).join();
            await().atMost(Duration.ofSeconds(20)).until(() -> ec2.describeVolumes(b -> b.filters(
                    f -> f.name("attachment.instance-id").values(id))).join().volumes().isEmpty());
            Ec2Exception gone = refused(Ec2Exception.class,
                    () -> ec2.describeVolumes(b -> b.volumeIds(volumeId)).join());
            assertEquals("InvalidVolume.NotFound", gone.awsErrorDetails().errorCode());
        }
    }

    @Test
    void withoutAMappingTheRootVolumeIsTheImagesOwn() {
        try (SsmAsyncClient ssm = ssm(EAST); Ec2AsyncClient ec2 = ec2(EAST)) {
            String id = ec2.runInstances(run(imageOf(ssm, Ec2Images.AL2023_X86_64), job()).build()).join()
                    .instances().get(0).instanceId();
            List<Volume> volumes = ec2.describeVolumes(b -> b.filters(f -> f.name("attachment.instance-id")
                    .values(id))).join().volumes();
            assertEquals(1, volumes.size());
            assertEquals(8, volumes.get(0).size());
            assertEquals("/dev/xvda", volumes.get(0).attachments().get(0).device());
            ec2.terminateInstances(b -> b.instanceIds(id)).join();
        }
    }

    @Test
    void aRootVolumeSmallerThanTheImageIsRefused() {
        try (SsmAsyncClient ssm = ssm(EAST); Ec2AsyncClient ec2 = ec2(EAST)) {
            String job = job();
            Ec2Exception e = refused(Ec2Exception.class, () -> ec2.runInstances(
                    run(imageOf(ssm, Ec2Images.UBUNTU_2204_AMD64), job).blockDeviceMappings(root(4, VolumeType.GP3))
                            .build()).join());
            assertEquals("InvalidBlockDeviceMapping", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
            assertTrue(e.awsErrorDetails().errorMessage().startsWith("Volume of size 4GB is smaller than snapshot"
                    + " 'snap-"), e.awsErrorDetails().errorMessage());
            assertTrue(e.awsErrorDetails().errorMessage().endsWith("expect size >= 8GB"));
            assertEquals(0, instancesOf(job));
        }
    }

    @Test
    void volumesBeyondTheirTypesRangeAreRefused() {
        try (SsmAsyncClient ssm = ssm(EAST); Ec2AsyncClient ec2 = ec2(EAST)) {
            String image = imageOf(ssm, Ec2Images.UBUNTU_2204_AMD64);
            String job = job();
            Ec2Exception gp3 = refused(Ec2Exception.class, () -> ec2.runInstances(run(image, job)
                    .blockDeviceMappings(root(65_537, VolumeType.GP3)).build()).join());
            assertEquals("InvalidParameterValue", gp3.awsErrorDetails().errorCode());
            Ec2Exception gp2 = refused(Ec2Exception.class, () -> ec2.runInstances(run(image, job)
                    .blockDeviceMappings(root(16_385, VolumeType.GP2)).build()).join());
            assertEquals("InvalidParameterValue", gp2.awsErrorDetails().errorCode());
            Ec2Exception noSize = refused(Ec2Exception.class, () -> ec2.runInstances(run(image, job)
                    .blockDeviceMappings(BlockDeviceMapping.builder().deviceName("/dev/sdf")
                            .ebs(b -> b.volumeType(VolumeType.GP3)).build()).build()).join());
            assertEquals("InvalidBlockDeviceMapping", noSize.awsErrorDetails().errorCode());
            assertEquals(0, instancesOf(job));

            String id = ec2.runInstances(run(image, job).blockDeviceMappings(root(16_385, VolumeType.GP3),
                    BlockDeviceMapping.builder().deviceName("/dev/sdf").ebs(b -> b.volumeSize(100)).build())
                    .build()).join().instances().get(0).instanceId();
            List<Volume> volumes = ec2.describeVolumes(b -> b.filters(f -> f.name("attachment.instance-id")
                    .values(id))).join().volumes();
            assertEquals(List.of(16_385, 100), volumes.stream().map(Volume::size).toList());
            assertEquals(List.of(VolumeType.GP3, VolumeType.GP2), volumes.stream().map(Volume::volumeType).toList());
            assertTrue(volumes.get(1).snapshotId() == null || volumes.get(1).snapshotId().isEmpty(),
                    "an empty volume, from no snapshot");
            ec2.terminateInstances(b -> b.instanceIds(id)).join();
        }
    }

    @Test
    void userDataOver16KbIsRefused() {
        try (Ec2AsyncClient ec2 = ec2(EAST)) {
            String image = Ec2Images.builtIn().byParameter("us-east-1", Ec2Images.UBUNTU_2204_AMD64).orElseThrow().id();
            String job = job();
            Ec2Exception e = refused(Ec2Exception.class, () -> ec2.runInstances(run(image, job)
                    .userData(base64("x".repeat(16 * 1024 + 1))).build()).join());
            assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
            assertEquals(400, e.statusCode());
            assertEquals("User data is limited to 16384 bytes.", e.awsErrorDetails().errorMessage());
            assertEquals(0, instancesOf(job));

            String id = ec2.runInstances(run(image, job).userData(base64("x".repeat(16 * 1024))).build()).join()
                    .instances().get(0).instanceId();
            ec2.terminateInstances(b -> b.instanceIds(id)).join();
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}

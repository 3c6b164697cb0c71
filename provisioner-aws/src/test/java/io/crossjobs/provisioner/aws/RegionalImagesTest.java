package io.crossjobs.provisioner.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.events.Accelerator;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;
import io.crossjobs.events.StartupScript;
import io.crossjobs.provisioner.aws.service.AwsClients;
import io.crossjobs.provisioner.aws.service.Ec2Provisioner;
import io.crossjobs.provisioner.aws.service.ImageResolver;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.testsupport.MockCloudProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeType;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each region boots its own AMI (the public SSM parameter read in that region, or a configured id) with the root
 * disk the placement asks for; read back from mock-cloud's EC2 as the cloud saw the launch.
 */
class RegionalImagesTest {
    private static final String AL2023 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    /** Regions no other test of this module faults or launches in. */
    private static final String WEST = "us-west-2";
    private static final String EUROPE = "eu-west-1";
    private static final String FAULTY = "ca-central-1";
    private static final String QUOTA = "ap-northeast-1";

    private static MockCloudProcess mock;
    /** Reads back what the cloud saw, independently of the adapter under test. */
    private static AwsClients cloud;

    /** The adapter under one configuration, with its own clients (closed after each test). */
    private record Adapter(AwsClients clients, Ec2Provisioner ec2) { }

    private Adapter adapter;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        cloud = new AwsClients(TestAwsConfig.at(mock.endpoint()), new CallPacer());
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @AfterEach
    void close() {
        mock.clearFaults();
        if (adapter != null) adapter.clients().close();
    }

    private Ec2Provisioner adapter(TestAwsConfig config, Clock clock) {
        AwsClients clients = new AwsClients(config, new CallPacer());
        io.crossjobs.provisioner.aws.store.S3Buckets buckets = new io.crossjobs.provisioner.aws.store.S3Buckets(clients);
        adapter = new Adapter(clients, new Ec2Provisioner(clients, new ImageResolver(clients, config, clock), config,
                new io.crossjobs.provisioner.aws.output.S3OutputStore(clients, config, buckets, DeploymentId.DEFAULT),
                new io.crossjobs.provisioner.aws.store.S3ObjectStore(clients, config, buckets),
                new io.crossjobs.provisioner.aws.check.AccountCheck(clients, config), DeploymentId.DEFAULT));
        return adapter.ec2();
    }

    private Ec2Provisioner adapter(TestAwsConfig config) {
        return adapter(config, Clock.systemUTC());
    }

    @Test
    void eachRegionBootsItsOwnImageWithTheRootDiskAsked() {
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()));
        String westImage = null;
        for (String region : List.of(WEST, EUROPE)) {
            ClusterKey key = cluster();
            CloudInstance node = ec2.launch(spec(key, placement(region, "t3.micro").withDiskSizeGb(40))).get(0);

            Instance seen = describe(region, node.instanceId());
            assertEquals(parameter(region, TestAwsConfig.UBUNTU_2204), seen.imageId());
            assertEquals("/dev/sda1", seen.rootDeviceName());
            Volume root = rootVolume(region, seen);
            assertEquals(40, root.size());
            assertEquals(VolumeType.GP3, root.volumeType());
            assertTrue(root.attachments().get(0).deleteOnTermination());
            if (westImage == null) westImage = seen.imageId();
            else assertNotEquals(westImage, seen.imageId(), "AMI ids are regional");
            assertEquals(1, ec2.terminate(region, key));
        }
    }

    @Test
    void withoutADiskSizeTheImagesOwnRootVolumeStays() {
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()));
        ClusterKey key = cluster();
        CloudInstance node = ec2.launch(spec(key, placement(WEST, "t3.micro"))).get(0);

        Volume root = rootVolume(WEST, describe(WEST, node.instanceId()));
        assertEquals(8, root.size());
        assertEquals(VolumeType.GP2, root.volumeType(), "the image's own mapping");
        ec2.terminate(WEST, key);
    }

    @Test
    void anImageConfiguredForTheRegionWinsAndItsRootDeviceIsResized() {
        String amazonLinux = parameter(EUROPE, AL2023);
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()).withImageIds(Map.of(EUROPE, amazonLinux)));
        ClusterKey inEurope = cluster();
        ClusterKey inWest = cluster();

        CloudInstance europe = ec2.launch(spec(inEurope, placement(EUROPE, "t3.micro").withDiskSizeGb(30))).get(0);
        CloudInstance west = ec2.launch(spec(inWest, placement(WEST, "t3.micro"))).get(0);

        Instance seen = describe(EUROPE, europe.instanceId());
        assertEquals(amazonLinux, seen.imageId());
        assertEquals("/dev/xvda", seen.rootDeviceName());
        Volume root = rootVolume(EUROPE, seen);
        assertEquals(30, root.size(), "the mapping named the image's root device, not /dev/sda1");
        assertEquals(1, seen.blockDeviceMappings().size(), "no second volume");
        assertEquals(parameter(WEST, TestAwsConfig.UBUNTU_2204), describe(WEST, west.instanceId()).imageId());
        ec2.terminate(EUROPE, inEurope);
        ec2.terminate(WEST, inWest);
    }

    @Test
    void anImageOfAnotherRegionIsUnsupportedThere() {
        String westImage = parameter(WEST, TestAwsConfig.UBUNTU_2204);
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()).withImageId(westImage));
        ClusterKey key = cluster();

        CloudError error = refused(ec2, spec(key, placement(EUROPE, "t3.micro")));

        assertEquals(new CloudError(ErrorClass.UNSUPPORTED, BlockScope.REGION, "InvalidAMIID.NotFound",
                error.message()), error);
        assertEquals(0, mock.inventoryOfJob("aws", key.jobId()).size());
    }

    @Test
    void aParameterTheRegionDoesNotHaveIsUnsupportedThere() {
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint())
                .withImageSsmParameter(TestAwsConfig.UBUNTU_2204.replace("22.04", "99.04")));

        CloudError error = refused(ec2, spec(cluster(), placement(EUROPE, "t3.micro")));

        assertEquals(ErrorClass.UNSUPPORTED, error.errorClass());
        assertEquals(BlockScope.REGION, error.scope());
        assertEquals("ParameterNotFound", error.code());
        assertTrue(error.message() != null && !error.message().isBlank());
    }

    @ParameterizedTest
    @CsvSource({
            "AccessDeniedException, 400, AUTH, CLOUD",
            "ThrottlingException, 400, THROTTLED, REGION",
            "InternalServerError, 500, TRANSIENT, REGION"})
    void ssmFailuresAreClassified(String code, int status, ErrorClass errorClass, BlockScope scope) {
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()));
        mock.fault("aws", FAULTY, null, "GetParameter", code, 1, status, "injected " + code);
        ClusterKey key = cluster();

        CloudError error = refused(ec2, spec(key, placement(FAULTY, "t3.micro")));

        assertEquals(new CloudError(errorClass, scope, code, "injected " + code), error);
        assertEquals(0, mock.inventoryOfJob("aws", key.jobId()).size());
    }

    @Test
    void aRootDiskBelowTheImageIsAnInvalidRequest() {
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()));
        ClusterKey key = cluster();

        CloudError error = refused(ec2, spec(key, placement(WEST, "t3.micro").withDiskSizeGb(4)));

        assertEquals(ErrorClass.INVALID_REQUEST, error.errorClass());
        assertEquals(BlockScope.CLOUD, error.scope());
        assertEquals("InvalidBlockDeviceMapping", error.code());
        assertEquals(0, mock.inventoryOfJob("aws", key.jobId()).size());
    }

    @Test
    void aGpuPlacementLaunchesItsTypeWhichCarriesTheGpus() {
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()));
        ClusterKey key = cluster();
        Placement gpu = Placement.builder().cloud("aws").region(WEST).zone("us-west-2b").instanceType("g5.xlarge")
                .pricePerHour(1.006).accelerator(new Accelerator("A10G", 1)).diskSizeGb(100).build();
        mock.setQuota("aws", WEST, "L-DB2E81BA", 8);        // the account asked for G and VT vCPUs here: new accounts have 0

        CloudInstance node = ec2.launch(spec(key, gpu)).get(0);

        Instance seen = describe(WEST, node.instanceId());
        assertEquals("g5.xlarge", seen.instanceTypeAsString());
        assertEquals("us-west-2b", seen.placement().availabilityZone());
        assertEquals(100, rootVolume(WEST, seen).size());
        ec2.terminate(WEST, key);
    }

    @Test
    void theImageIsReadOncePerRegionUntilItsTimeIsUpThenKeptWhenSsmFails() {
        MutableClock clock = new MutableClock();
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()), clock);
        ClusterKey first = cluster();
        String image = describe(FAULTY, ec2.launch(spec(first, placement(FAULTY, "t3.micro"))).get(0).instanceId())
                .imageId();
        mock.fault("aws", FAULTY, null, "GetParameter", "AccessDeniedException", 1, 400, "denied");

        ClusterKey cached = cluster();
        ec2.launch(spec(cached, placement(FAULTY, "t3.micro")));
        assertEquals(1, armedFaults(FAULTY), "the image was not read again within image-cache-ttl");

        clock.advance(Duration.ofHours(1).plusMinutes(1));
        ClusterKey stale = cluster();
        CloudInstance node = ec2.launch(spec(stale, placement(FAULTY, "t3.micro"))).get(0);
        assertEquals(0, armedFaults(FAULTY), "read again once the time was up");
        assertEquals(image, describe(FAULTY, node.instanceId()).imageId(), "SSM failed: the known image still boots");
        for (ClusterKey k : List.of(first, cached, stale)) ec2.terminate(FAULTY, k);
    }

    @Test
    void aGpuLaunchFailsOverAsTheRegionsQuotaUntilRaisedAndTheQuotaCountsLiveInstances() {
        Ec2Provisioner ec2 = adapter(TestAwsConfig.at(mock.endpoint()));
        Placement gpu = Placement.builder().cloud("aws").region(QUOTA).instanceType("g5.xlarge").pricePerHour(1.006)
                .accelerator(new Accelerator("A10G", 1)).diskSizeGb(100).build();
        mock.setQuota("aws", QUOTA, "L-DB2E81BA", 0);
        ClusterKey refusedKey = cluster();

        CloudError error = refused(ec2, spec(refusedKey, gpu));

        assertEquals(ErrorClass.QUOTA, error.errorClass());
        assertEquals(BlockScope.REGION, error.scope(), "another region or cloud may have room");
        assertEquals("VcpuLimitExceeded", error.code());
        assertTrue(error.message().contains("current vCPU limit of 0"), error.message());
        assertEquals(0, mock.inventoryOfJob("aws", refusedKey.jobId()).size());

        CloudError spot = refused(ec2, spec(cluster(), Placement.builder().cloud("aws").region(QUOTA)
                .instanceType("g5.xlarge").spot(true).pricePerHour(0.4).accelerator(new Accelerator("A10G", 1))
                .diskSizeGb(100).build()));
        assertEquals(ErrorClass.QUOTA, spot.errorClass());
        assertEquals("MaxSpotInstanceCountExceeded", spot.code());

        mock.setQuota("aws", QUOTA, "L-DB2E81BA", 4);       // one g5.xlarge
        ClusterKey first = cluster();
        CloudInstance node = ec2.launch(spec(first, gpu)).get(0);
        assertEquals("g5.xlarge", describe(QUOTA, node.instanceId()).instanceTypeAsString());
        assertEquals("VcpuLimitExceeded", refused(ec2, spec(cluster(), gpu)).code(), "4 of 4 vCPUs are taken");

        ec2.terminate(QUOTA, first);
        ClusterKey second = cluster();
        assertEquals(1, ec2.launch(spec(second, gpu)).size(), "a terminated instance gives its vCPUs back");
        ec2.terminate(QUOTA, second);
    }

    // ---------------------------------------------------------------- helpers

    private CloudError refused(Ec2Provisioner ec2, LaunchSpec spec) {
        return ec2.classify(assertThrows(RuntimeException.class, () -> ec2.launch(spec)));
    }

    private String parameter(String region, String name) {
        return cloud.ssm(region).getParameter(b -> b.name(name)).join().parameter().value();
    }

    private Instance describe(String region, String instanceId) {
        return cloud.ec2(region).describeInstances(b -> b.instanceIds(instanceId)).join()
                .reservations().get(0).instances().get(0);
    }

    /** The volume EC2 attached at the instance's root device, as DescribeVolumes shows it. */
    private Volume rootVolume(String region, Instance instance) {
        InstanceBlockDeviceMapping root = instance.blockDeviceMappings().stream()
                .filter(m -> m.deviceName().equals(instance.rootDeviceName())).findFirst().orElseThrow();
        return cloud.ec2(region).describeVolumes(b -> b.volumeIds(root.ebs().volumeId())).join()
                .volumes().get(0);
    }

    private static int armedFaults(String region) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(mock.endpoint() + "/mock/faults")).GET().build(), HttpResponse.BodyHandlers.ofString());
            int n = 0;
            for (JsonNode rule : new ObjectMapper().readTree(r.body())) {
                if (region.equals(rule.path("region").asText())) n++;
            }
            return n;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ClusterKey cluster() {
        String job = "image-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 1, "cj-" + job + "-1");
    }

    private static Placement placement(String region, String type) {
        return Placement.builder().cloud("aws").region(region).instanceType(type).pricePerHour(0.01).build();
    }

    private static LaunchSpec spec(ClusterKey key, Placement placement) {
        LaunchCluster cmd = new LaunchCluster(key.jobId(), key.attempt(), key.clusterName(), "task-" + key.jobId(),
                placement, 1, Map.of(), null, "true");
        return new LaunchSpec(key, placement, List.of(StartupScript.render(cmd, 0, List.of())));
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }
}

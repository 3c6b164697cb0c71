package io.crossjobs.provisioner.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.AttachedDiskInitializeParams;
import com.google.cloud.compute.v1.Disk;
import com.google.cloud.compute.v1.DisksClient;
import com.google.cloud.compute.v1.DisksSettings;
import com.google.cloud.compute.v1.InsertInstanceRequest;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.Scheduling;
import io.crossjobs.events.Accelerator;
import io.crossjobs.events.CloudTags;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.NodeIpsLookup;
import io.crossjobs.testsupport.MockCloudProcess;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import io.crossjobs.provisioner.gcp.service.GceClients;
import io.crossjobs.provisioner.gcp.service.GceLabels;
import io.crossjobs.provisioner.gcp.service.GceProvisioner;
import io.crossjobs.provisioner.gcp.service.GcsClients;
import io.crossjobs.provisioner.gcp.service.GcsObjectStore;
import io.crossjobs.provisioner.gcp.service.GcsOutputStore;
import io.crossjobs.provisioner.gcp.service.GcsSecretStore;
import io.crossjobs.provisioner.gcp.service.GcpAccountCheck;
import io.crossjobs.provisioner.gcp.service.ResourceManagerClient;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.provisioner.model.NodeState;
import io.crossjobs.provisioner.service.ClusterObservation;
import io.crossjobs.provisioner.service.ClusterTracker;
import io.crossjobs.events.ScriptOptions;
import io.crossjobs.events.StartupScript;
import io.crossjobs.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GCE adapter with the real google-cloud-compute client against mock-cloud's Compute Engine REST API. */
class GceProvisionerTest {
    private static final String REGION = "us-central1";

    private static final java.util.function.Function<String, String> REGION_OF = z -> z.substring(0, z.lastIndexOf('-'));

    private static MockCloudProcess mock;
    private static MockCloudProcess.Gcs gcs;
    private static GceClients clients;
    private static GcsClients storage;
    private static GceProvisioner gce;
    private static DisksClient disks;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        // the project asked for T4 and L4 GPUs in us-central1 (a new project has none)
        mock.setQuota("gcp", REGION, "NVIDIA_T4_GPUS", 8);
        mock.setQuota("gcp", REGION, "NVIDIA_L4_GPUS", 8);
        mock.setQuota("gcp", "global", "GPUS_ALL_REGIONS", 16);
        gcs = MockCloudProcess.shared().gcs();
        clients = new GceClients(config(mock.endpoint()));
        storage = new GcsClients(config(mock.endpoint()));
        gce = provisioner(clients);
        try {
            disks = DisksClient.create(DisksSettings.newBuilder().setEndpoint(mock.endpoint())
                    .setCredentialsProvider(NoCredentialsProvider.create()).build());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        clients.close();
        storage.close();
        disks.close();
    }

    @AfterEach
    void noFaultLeft() {
        mock.clearFaults();
    }

    @Test
    void theTasksLabelsAreGceLabelsBesideCrossjobsOwnAndTheMockRefusesWhatGceRefuses() {
        ClusterKey key = cluster();
        LaunchSpec plain = spec(key, "us-central1-b", false, 1, "true");
        gce.launch(new LaunchSpec(key, plain.placement(), plain.startupScripts(), Map.of("team", "ml-research")));

        Map<String, String> labels = mock.inventoryOfJob("gcp", key.jobId()).get(0).tags();
        assertEquals("ml-research", labels.get("team"));
        assertEquals(key.jobId(), labels.get(CloudTags.JOB_ID));
        assertEquals(8, labels.size(), labels.toString());

        // GCE label keys are lowercase: instances.insert is refused and nothing is made
        ClusterKey refused = cluster();
        LaunchSpec base = spec(refused, "us-central1-b", false, 1, "true");
        RuntimeException e = assertThrows(RuntimeException.class, () -> gce.launch(new LaunchSpec(refused,
                base.placement(), base.startupScripts(), Map.of("Team", "ml"))));
        assertEquals(ErrorClass.INVALID_REQUEST, gce.classify(e).errorClass());
        assertEquals(0, mock.inventoryOfJob("gcp", refused.jobId()).size());

        // and at most 64 labels: 59 of the task's beside crossjobs' 6
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 59; i++) many.put("k" + i, "v");
        ClusterKey tooMany = cluster();
        LaunchSpec third = spec(tooMany, "us-central1-b", false, 1, "true");
        assertThrows(RuntimeException.class, () -> gce.launch(new LaunchSpec(tooMany, third.placement(),
                third.startupScripts(), many)));
        assertEquals(0, mock.inventoryOfJob("gcp", tooMany.jobId()).size());
        gce.terminate(REGION, key);
    }

    @Test
    void clusterIsLabelledListedRunsItsScriptAndIsDeleted() {
        ClusterKey key = cluster();
        LaunchSpec spec = spec(key, "us-central1-b", false, 1, "echo hello from $CROSSJOBS_NODE_RANK; echo second line");

        List<CloudInstance> launched = gce.launch(spec);

        assertEquals(1, launched.size());
        CloudInstance node = launched.get(0);
        assertEquals(key, node.cluster());
        assertEquals("us-central1-b", node.zone());
        assertEquals("e2-small", node.instanceType());
        MockCloudProcess.Item item = mock.inventoryOfJob("gcp", key.jobId()).get(0);
        assertEquals(Map.of("managed-by", "crossjobs", "crossjobs-deployment", "default", "crossjobs-job-id", key.jobId(),
                "crossjobs-cluster", key.clusterName(), "crossjobs-attempt", "2", "crossjobs-node-rank", "0",
                "crossjobs-role", "job"), item.tags());
        assertEquals("zones/us-central1-b/instances/" + item.name(), node.instanceId());

        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(node.instanceId()).orElse(null) == NodeState.RUNNING);
        await().atMost(Duration.ofSeconds(20)).until(() -> output(node, 0).contains("##crossjobs:run-exit=0##"));
        String whole = output(node, 0);
        assertTrue(whole.startsWith("hello from 0\nsecond line\n"), whole);
        int secondLine = "hello from 0\n".length();
        assertEquals(whole.substring(secondLine), output(node, secondLine));
        assertEquals("", output(node, whole.getBytes(StandardCharsets.UTF_8).length));

        assertEquals(1, gce.terminate(REGION, key));
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(node.instanceId()).isEmpty());
        assertEquals(0, gce.terminate(REGION, key), "a gone cluster is fine");
    }

    @Test
    void aNodeShipsItsChunksUnderItsOwnPrefixWithoutACredentialAndTheyGoWithTheCluster() throws Exception {
        ClusterKey key = cluster();
        String function = gce.outputShipping(key, REGION, 0, Duration.ofHours(1)).shipFunction();
        String privateKey = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.nio.file.Files.readString(java.nio.file.Path.of(gcs.keyFile()))).path("private_key").asText();
        assertFalse(function.contains("PRIVATE KEY"), function);
        privateKey.lines().filter(l -> l.length() > 40).forEach(l -> assertFalse(function.contains(l)));
        assertTrue(function.contains("'x-goog-algorithm=GOOG4-RSA-SHA256'"), function);

        CloudInstance node = gce.launch(spec(key, "us-central1-a", false, 1, "printf 'line %s\\n' $(seq 1 5)")).get(0);
        await().atMost(Duration.ofSeconds(30)).until(() -> output(node, 0).contains("##crossjobs:run-exit=0##"));
        String prefix = "adapter-project-crossjobs-output/" + OutputObjects.prefix(DeploymentId.DEFAULT, key, 0);
        List<String> keys = mock.objectKeys("gcp").stream().filter(k -> k.contains(key.jobId())).toList();
        assertTrue(keys.contains(prefix + "0000000000000000"), keys.toString());
        assertTrue(keys.stream().allMatch(k -> k.startsWith(prefix) && k.substring(prefix.length()).matches("\\d{16}")),
                keys.toString());
        var bucket = storage.storage().get("adapter-project-crossjobs-output");
        assertTrue(bucket.getIamConfiguration().isUniformBucketLevelAccessEnabled());
        assertEquals(30, bucket.getLifecycleRules().get(0).getCondition().getAge());

        // what the policy allows is this node's chunks only, each at most a chunk, until it expires
        java.nio.file.Path chunk = java.nio.file.Files.createTempFile("chunk", ".bin");
        java.nio.file.Path big = java.nio.file.Files.createTempFile("big", ".bin");
        try {
            java.nio.file.Files.writeString(chunk, "x");
            java.nio.file.Files.write(big, new byte[io.crossjobs.events.OutputShipping.MAX_CHUNK_BYTES + 1]);
            assertEquals(0, ship(function, chunk, 1_000_000));
            assertTrue(ship(function.replace(OutputObjects.prefix(DeploymentId.DEFAULT, key, 0), OutputObjects.prefix(DeploymentId.DEFAULT, key, 1)), chunk, 0) != 0,
                    "another node's prefix");
            assertTrue(ship(function, big, 2_000_000) != 0, "more than a chunk");
            String expired = gce.outputShipping(key, REGION, 0, Duration.ZERO).shipFunction();
            assertTrue(ship(expired, chunk, 3_000_000) != 0, "past its expiration");
        } finally {
            java.nio.file.Files.delete(chunk);
            java.nio.file.Files.delete(big);
        }
        assertTrue(mock.objectKeys("gcp").contains(prefix + "0000000001000000"));
        assertTrue(mock.objectKeys("gcp").stream().noneMatch(k -> k.endsWith("0000000002000000")
                || k.endsWith("0000000003000000") || k.contains(OutputObjects.prefix(DeploymentId.DEFAULT, key, 1))));

        gce.deleteOutput(key);
        assertTrue(mock.objectKeys("gcp").stream().noneMatch(k -> k.contains(key.jobId())));
        gce.deleteOutput(key);   // nothing left: fine
        assertEquals(1, gce.terminate(REGION, key));
    }

    /** Runs the ship function as the node's script does: {@code crossjobs_ship FILE OFFSET}; its exit code. */
    private static int ship(String function, java.nio.file.Path file, long offset) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "crossjobs_ship() {\n" + function + "\n}\ncrossjobs_ship \"$0\" \"$1\"",
                file.toString(), Long.toString(offset)).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor();
    }

    @Test
    void replayedLaunchCreatesNothingNewAndListingPagesThroughEverything() {
        ClusterKey key = cluster();
        LaunchSpec spec = spec(key, null, false, 6, "true");

        List<String> first = gce.launch(spec).stream().map(CloudInstance::instanceId).sorted().toList();
        List<String> again = gce.launch(spec).stream().map(CloudInstance::instanceId).sorted().toList();

        assertEquals(6, first.size());
        assertEquals(first, again);
        assertEquals(6, mock.inventoryOfJob("gcp", key.jobId()).size());
        assertTrue(first.stream().allMatch(id -> id.startsWith("zones/us-central1-a/")), "first zone of the region");
        List<CloudInstance> listed = gce.listManaged(REGION).stream().filter(n -> n.cluster().equals(key)).toList();
        assertEquals(first, listed.stream().map(CloudInstance::instanceId).sorted().toList(),
                "page size is 5 here: the listing needs two pages");
        assertEquals(List.of(0, 1, 2, 3, 4, 5), listed.stream().map(CloudInstance::nodeRank).sorted().toList());
        assertTrue(gce.listManaged("europe-west4").stream().noneMatch(n -> n.cluster().equals(key)));

        assertEquals(6, gce.terminate(REGION, key));
    }

    @Test
    void onlyMissingRanksAreCreatedAndAFailedInsertIsNotReplayedAsASuccess() {
        ClusterKey key = cluster();
        mock.fault("gcp", REGION, null, null, "ZONE_RESOURCE_POOL_EXHAUSTED", 1);
        LaunchSpec inA = spec(key, "us-central1-a", false, 1, "true");
        assertThrows(RuntimeException.class, () -> gce.launch(inA));
        // GCE answers a known requestId with its original (failed) operation: nothing is created by a replay
        CloudError replayed = gce.classify(assertThrows(RuntimeException.class, () -> gce.launch(inA)));
        assertEquals("ZONE_RESOURCE_POOL_EXHAUSTED", replayed.code());
        assertEquals(0, mock.inventoryOfJob("gcp", key.jobId()).size());

        gce.launch(spec(key, "us-central1-b", false, 1, "true"));
        List<CloudInstance> both = gce.launch(spec(key, "us-central1-b", false, 2, "true"));

        assertEquals(2, both.size());
        assertEquals(2, mock.inventoryOfJob("gcp", key.jobId()).size());
        gce.terminate(REGION, key);
    }

    @ParameterizedTest
    @CsvSource({
            // inside the insert operation
            "ZONE_RESOURCE_POOL_EXHAUSTED, CAPACITY, ZONE",
            "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS, CAPACITY, ZONE",
            "UNSUPPORTED_OPERATION, CAPACITY, ZONE",
            "RESOURCE_NOT_READY, CAPACITY, ZONE",
            "RESOURCE_OPERATION_RATE_EXCEEDED, THROTTLED, ZONE",
            "QUOTA_EXCEEDED, QUOTA, REGION",
            // synchronous HTTP errors
            "insufficientCapacity, CAPACITY, ZONE",
            "quotaExceeded, QUOTA, REGION",
            "rateLimitExceeded, THROTTLED, REGION",
            "forbidden, AUTH, CLOUD",
            "insufficientPermissions, AUTH, CLOUD",
            "invalid, INVALID_REQUEST, CLOUD",
            "backendError, TRANSIENT, ZONE"})
    void everyMappedLaunchErrorIsClassifiedWithItsScope(String code, ErrorClass errorClass, BlockScope scope) {
        ClusterKey key = cluster();
        mock.fault("gcp", REGION, null, null, code, 1);

        RuntimeException e = assertThrows(RuntimeException.class, () -> gce.launch(spec(key, null, false, 1, "true")));

        CloudError error = gce.classify(e);
        assertEquals(new CloudError(errorClass, scope, code, error.message()), error);
        assertTrue(error.message() != null && !error.message().isBlank());
        assertEquals(0, mock.inventoryOfJob("gcp", key.jobId()).size());
    }

    @Test
    void quotaOfAllRegionsBlocksTheCloudAndUnknownCodesFallBackOnTheStatus() {
        mock.fault("gcp", REGION, null, null, "QUOTA_EXCEEDED", 1, 403, "Quota 'GPUS_ALL_REGIONS' exceeded.  Limit: 0.0 globally.");
        CloudError gpus = gce.classify(assertThrows(RuntimeException.class,
                () -> gce.launch(spec(cluster(), null, false, 1, "true"))));
        assertEquals(new CloudError(ErrorClass.QUOTA, BlockScope.CLOUD, "QUOTA_EXCEEDED", gpus.message()), gpus);
        mock.fault("gcp", REGION, null, null, "QUOTA_EXCEEDED", 1, 403, "Quota 'CPUS_ALL_REGIONS' exceeded.  Limit: 24.0 globally.");
        CloudError cpus = gce.classify(assertThrows(RuntimeException.class,
                () -> gce.launch(spec(cluster(), null, false, 1, "true"))));
        assertEquals(BlockScope.CLOUD, cpus.scope());

        mock.fault("gcp", REGION, null, null, "somethingNobodyKnows", 1, 409, null);
        CloudError unknown = gce.classify(assertThrows(RuntimeException.class,
                () -> gce.launch(spec(cluster(), null, false, 1, "true"))));
        assertEquals(new CloudError(ErrorClass.UNKNOWN, BlockScope.ZONE, "somethingNobodyKnows", unknown.message()), unknown);
    }

    @Test
    void failedListAndOutputCallsAreClassifiedToo() throws Exception {
        mock.fault("gcp", null, null, "instances.aggregatedList", "rateLimitExceeded", 1);   // a project-wide call: no region
        // a provisioner of its own: the shared one may answer from a listing made less than a poll ago
        GceProvisioner fresh = provisioner(clients);
        assertEquals(ErrorClass.THROTTLED,
                fresh.classify(assertThrows(RuntimeException.class, () -> fresh.listManaged(REGION))).errorClass());

        GcpConfig nowhere = config(mock.endpoint(), "http://127.0.0.1:" + Ports.free());
        GcsClients unreachable = new GcsClients(nowhere);
        try {
            GcsOutputStore store = new GcsOutputStore(unreachable, nowhere, DeploymentId.DEFAULT);
            CloudInstance node = new CloudInstance("zones/us-central1-a/instances/nothing-0", "j", 1, "c", 0, REGION,
                    "us-central1-a", "e2-small", false, null, NodeState.RUNNING, false, "RUNNING");
            CloudError error = gce.classify(assertThrows(RuntimeException.class, () -> store.read(node, 0)));
            assertEquals(ErrorClass.TRANSIENT, error.errorClass(), "Cloud Storage out of reach: " + error);
        } finally {
            unreachable.close();
        }
    }

    @Test
    void realRefusalsOfTheApiAreClassified() {
        ClusterKey key = cluster();
        LaunchSpec badType = new LaunchSpec(key, Placement.builder().cloud("gcp").region(REGION)
                .instanceType("No_Such type").pricePerHour(0.01).build(),
                List.of(StartupScript.render(launch(key, 1, "true"), 0, List.of())));
        CloudError notHere = gce.classify(assertThrows(RuntimeException.class, () -> gce.launch(badType)));
        assertEquals(new CloudError(ErrorClass.UNSUPPORTED, BlockScope.ZONE, "invalid", notHere.message()), notHere,
                "GCE says the machine type does not exist in the zone: another zone may have it");
        assertTrue(notHere.message().contains("machineType"), notHere.message());

        GceClients nowhere = new GceClients(config("http://127.0.0.1:" + Ports.free()));
        try {
            GceProvisioner unreachable = provisioner(nowhere);
            CloudError error = unreachable.classify(assertThrows(RuntimeException.class,
                    () -> unreachable.listManaged(REGION)));
            assertEquals(ErrorClass.TRANSIENT, error.errorClass(), error.toString());
            assertEquals(BlockScope.ZONE, error.scope());
        } finally {
            nowhere.close();
        }
    }

    @Test
    void aPreemptedSpotNodeIsReportedPreemptedAndLeavesNothingBehind() {
        ClusterKey key = cluster();
        CloudInstance node = gce.launch(spec(key, "us-central1-a", true, 1, "sleep 30")).get(0);
        assertTrue(node.spot());
        assertEquals("DELETE", instance(node).getScheduling().getInstanceTerminationAction());
        ClusterTracker tracker = new ClusterTracker(new ClusterTracker.Timings(Duration.ofHours(1),
                Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO));
        tracker.expectLaunch(key, REGION, "us-central1-a", 1, Instant.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> poll(tracker, key) == ClusterState.RUNNING);

        mock.preempt(mock.inventoryOfJob("gcp", key.jobId()).get(0).id());

        // seen leaving with GCE's preemption event, or seen gone without our delete: either way a preemption
        await().atMost(Duration.ofSeconds(20)).until(() -> poll(tracker, key) == ClusterState.PREEMPTED);
        await().atMost(Duration.ofSeconds(20)).until(() -> gone(node));
        assertTrue(gce.listManaged(REGION).stream().noneMatch(n -> n.cluster().equals(key)));
        assertEquals(404, diskStatus(node), "the boot disk went with the instance");
        assertEquals(0, gce.terminate(REGION, key));
    }

    @Test
    void aStoppedSpotInstanceIsRecognisedAsPreemptedAndTerminateDeletesIt() {
        // made as an older provisioner made its spot VMs: GCE's default termination action STOP
        ClusterKey key = cluster();
        String name = GceLabels.instanceName(DeploymentId.DEFAULT, key, 0);
        clients.operations().wait("adapter-project", "us-central1-b", clients.instances().insertCallable().call(
                InsertInstanceRequest.newBuilder().setProject("adapter-project").setZone("us-central1-b")
                        .setInstanceResource(Instance.newBuilder().setName(name)
                                .setMachineType("zones/us-central1-b/machineTypes/e2-small").putAllLabels(GceLabels.of(DeploymentId.DEFAULT, key, 0))
                                .addDisks(AttachedDisk.newBuilder().setBoot(true).setAutoDelete(true).setInitializeParams(
                                        AttachedDiskInitializeParams.newBuilder().setSourceImage(
                                                "projects/debian-cloud/global/images/family/debian-12")))
                                .setScheduling(Scheduling.newBuilder().setProvisioningModel("SPOT")
                                        .setInstanceTerminationAction("STOP"))).build()).getName());
        String id = "zones/us-central1-b/instances/" + name;
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(id).orElse(null) == NodeState.RUNNING);

        mock.preempt(mock.inventoryOfJob("gcp", key.jobId()).get(0).id());

        await().atMost(Duration.ofSeconds(20)).until(() -> listed(id).map(n -> n.state() == NodeState.TERMINATED)
                .orElse(false));
        CloudInstance stopped = listed(id).orElseThrow();
        assertTrue(stopped.preempted(), "the zone's compute.instances.preempted event names it");
        assertEquals("compute.instances.preempted", stopped.stateReason());
        assertEquals(200, diskStatus(stopped), "a stopped instance keeps its disk");

        assertEquals(0, gce.terminate(REGION, key), "it was not alive");
        await().atMost(Duration.ofSeconds(20)).until(() -> gone(stopped));
        assertEquals(404, diskStatus(stopped), "nothing billed remains");
    }

    @Test
    void aGpuLaunchFailsAsTheRegionsQuotaUntilRaisedAndTheQuotaCountsLiveInstances() {
        // europe-west4-a offers T4 (catalog); no other test launches GPUs in europe-west4
        mock.setQuota("gcp", "europe-west4", "NVIDIA_T4_GPUS", 0);
        ClusterKey refusedKey = cluster();
        CloudError error = gce.classify(assertThrows(RuntimeException.class, () -> gce.launch(
                gpuSpec(refusedKey, "europe-west4-a", "n1-standard-4", Accelerator.parse("T4:1"), null))));
        assertEquals(new CloudError(ErrorClass.QUOTA, BlockScope.REGION, "QUOTA_EXCEEDED",
                "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region europe-west4."), error);
        assertEquals(0, mock.inventoryOfJob("gcp", refusedKey.jobId()).size());

        mock.setQuota("gcp", "europe-west4", "NVIDIA_T4_GPUS", 1);
        ClusterKey first = cluster();
        CloudInstance node = gce.launch(gpuSpec(first, "europe-west4-a", "n1-standard-4", Accelerator.parse("T4:1"), null))
                .get(0);
        assertEquals(1, instance(node).getGuestAccelerators(0).getAcceleratorCount());
        CloudError full = gce.classify(assertThrows(RuntimeException.class, () -> gce.launch(
                gpuSpec(cluster(), "europe-west4-a", "n1-standard-4", Accelerator.parse("T4:1"), null))));
        assertEquals("Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 1.0 in region europe-west4.", full.message());

        assertEquals(1, gce.terminate("europe-west4", first));
        ClusterKey second = cluster();
        assertEquals(1, gce.launch(gpuSpec(second, "europe-west4-a", "n1-standard-4", Accelerator.parse("T4:1"), null))
                .size(), "a deleted instance gives its GPU back");
        gce.terminate("europe-west4", second);
    }

    @Test
    void aGpuPlacementCarriesItsAcceleratorsItsDiskAndTerminatesOnHostMaintenance() {
        ClusterKey key = cluster();
        // n1-standard-8 + T4:2 in us-central1-a is a catalog row
        CloudInstance node = gce.launch(gpuSpec(key, "us-central1-a", "n1-standard-8", Accelerator.parse("T4:2"), 256))
                .get(0);

        Instance seen = instance(node);
        assertEquals(1, seen.getGuestAcceleratorsCount(), seen.toString());
        assertEquals(2, seen.getGuestAccelerators(0).getAcceleratorCount());
        assertTrue(seen.getGuestAccelerators(0).getAcceleratorType().endsWith("/zones/us-central1-a/acceleratorTypes/nvidia-tesla-t4"),
                seen.getGuestAccelerators(0).getAcceleratorType());
        assertEquals("TERMINATE", seen.getScheduling().getOnHostMaintenance());
        assertEquals(false, seen.getScheduling().getAutomaticRestart());
        assertEquals("STANDARD", seen.getScheduling().getProvisioningModel());
        assertEquals(256, seen.getDisks(0).getDiskSizeGb());
        Disk disk = disks.get("adapter-project", "us-central1-a", seen.getName());
        assertEquals(256, disk.getSizeGb());
        assertTrue(disk.getType().endsWith("/diskTypes/pd-balanced"), disk.getType());
        assertEquals(1, gce.terminate(REGION, key));
    }

    @Test
    void aMachineTypeWithItsOwnGpusGetsNoneAttachedButStillTerminatesOnHostMaintenance() {
        ClusterKey key = cluster();
        CloudInstance node = gce.launch(gpuSpec(key, "us-central1-b", "g2-standard-4", Accelerator.parse("L4:1"), null))
                .get(0);

        Instance seen = instance(node);
        assertEquals(0, seen.getGuestAcceleratorsCount(), "G2 comes with its L4");
        assertEquals("TERMINATE", seen.getScheduling().getOnHostMaintenance());
        assertEquals(10, seen.getDisks(0).getDiskSizeGb(), "no size asked: the image's");
        assertEquals(1, gce.terminate(REGION, key));
    }

    @Test
    void acceleratorsGceDoesNotOfferThereAreUnsupported() {
        // us-west1-c has L4 only (catalog); GCE answers 400 "The resource '...acceleratorTypes/...' was not found"
        CloudError zone = gce.classify(assertThrows(RuntimeException.class, () -> gce.launch(
                gpuSpec(cluster(), "us-west1-c", "n1-standard-8", Accelerator.parse("T4:1"), null))));
        assertEquals(new CloudError(ErrorClass.UNSUPPORTED, BlockScope.ZONE, "badRequest", zone.message()), zone);

        CloudError series = gce.classify(assertThrows(RuntimeException.class, () -> gce.launch(
                gpuSpec(cluster(), "us-central1-a", "e2-standard-4", Accelerator.parse("T4:1"), null))));
        assertEquals(new CloudError(ErrorClass.UNSUPPORTED, BlockScope.CLOUD, "badRequest", series.message()), series);
        assertTrue(series.message().contains("features are not compatible"), series.message());

        CloudError unknown = gce.classify(assertThrows(RuntimeException.class, () -> gce.launch(
                gpuSpec(cluster(), "us-central1-a", "n1-standard-8", Accelerator.parse("MI300X:1"), null))));
        assertEquals(ErrorClass.UNSUPPORTED, unknown.errorClass());
        assertEquals(BlockScope.CLOUD, unknown.scope());

        CloudError small = gce.classify(assertThrows(RuntimeException.class, () -> gce.launch(
                gpuSpec(cluster(), "us-central1-a", "e2-small", null, 5))));
        assertEquals(new CloudError(ErrorClass.INVALID_REQUEST, BlockScope.CLOUD, "invalid", small.message()), small);
        assertTrue(small.message().contains("cannot be smaller than the image size (10 GB)"), small.message());
    }

    @Test
    void ourOwnDeleteOfASpotInstanceIsNoPreemption() {
        ClusterKey key = cluster();
        CloudInstance node = gce.launch(spec(key, null, true, 1, "sleep 30")).get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(node.instanceId()).orElse(null) == NodeState.RUNNING);

        gce.terminate(REGION, key);

        CloudInstance leaving = gce.listManaged(REGION).stream().filter(n -> n.instanceId().equals(node.instanceId()))
                .findFirst().orElse(null);
        assertTrue(leaving == null || !leaving.preempted());
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(node.instanceId()).isEmpty());
    }

    @Test
    void everyNodeReadsAllAddressesFromItsOwnMetadataOnceTheyAreWritten() {
        ClusterKey key = cluster();
        LaunchCluster cmd = launch(key, 2, "echo \"ips=$(printf '%s' \"$SKYPILOT_NODE_IPS\" | tr '\\n' ,)\"");
        NodeIpsLookup lookup = new NodeIpsLookup(gce.nodeIpsReadCommand(), Duration.ofMinutes(2));
        gce.launch(new LaunchSpec(key, Placement.builder().cloud("gcp").region(REGION).zone("us-central1-a")
                .instanceType("e2-small").pricePerHour(0.01).build(), IntStream.range(0, 2)
                .mapToObj(r -> StartupScript.render(cmd, r, shipping(key, r).withLookup(lookup))).toList()));
        // a poll's listing is shared for half a second, so the new nodes may show in the next one
        List<CloudInstance> nodes = await().atMost(Duration.ofSeconds(5)).until(() -> gce.listManaged(REGION).stream()
                .filter(n -> n.cluster().equals(key)).sorted(java.util.Comparator.comparingInt(CloudInstance::nodeRank))
                .toList(), listed -> listed.size() == 2);
        String ips = nodes.get(0).privateIp() + " " + nodes.get(1).privateIp();

        gce.writeNodeIps(REGION, nodes, ips);
        gce.writeNodeIps(REGION, nodes, ips);   // again, as after a provisioner restart: no fingerprint conflict

        String expected = "ips=" + nodes.get(0).privateIp() + "," + nodes.get(1).privateIp() + "\n";
        for (CloudInstance node : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> output(node, 0).contains("##crossjobs:run-exit=0##"));
            assertTrue(output(node, 0).contains(expected), output(node, 0));
        }
        String name = nodes.get(1).instanceId().substring(nodes.get(1).instanceId().lastIndexOf('/') + 1);
        List<String> keys = clients.instances().get("adapter-project", "us-central1-a", name).getMetadata()
                .getItemsList().stream().map(com.google.cloud.compute.v1.Items::getKey).toList();
        assertTrue(keys.contains("startup-script") && keys.contains(CloudTags.NODE_IPS), keys.toString());
        assertEquals(2, gce.terminate(REGION, key));
    }

    /**
     * Two deployments in one project (the default one and team-b) launch a cluster of the same name, as they do: job
     * ids are counted per deployment. Each gets an instance of its own, lists only its own, and deleting its cluster
     * leaves the other's running; an instance from before deployments had ids (no label) is the default's.
     */
    @Test
    void twoDeploymentsOfOneProjectEachListAndTerminateOnlyTheirOwnClusterOfTheSameName() {
        GceProvisioner teamB = provisioner(clients, new DeploymentId("team-b"));
        ClusterKey key = cluster();

        String ours = gce.launch(spec(key, "us-central1-b", false, 1, "sleep 60")).get(0).instanceId();
        String theirs = teamB.launch(spec(key, "us-central1-b", false, 1, "sleep 60")).get(0).instanceId();
        Map<String, String> before = new java.util.HashMap<>(GceLabels.of(DeploymentId.DEFAULT, key, 1));
        before.remove(CloudTags.DEPLOYMENT);
        String untaggedName = GceLabels.instanceName(DeploymentId.DEFAULT, key, 1);
        clients.operations().wait("adapter-project", "us-central1-b", clients.instances().insertCallable().call(
                InsertInstanceRequest.newBuilder().setProject("adapter-project").setZone("us-central1-b")
                        .setInstanceResource(Instance.newBuilder().setName(untaggedName)
                                .setMachineType("zones/us-central1-b/machineTypes/e2-small").putAllLabels(before)
                                .addDisks(AttachedDisk.newBuilder().setBoot(true).setAutoDelete(true).setInitializeParams(
                                        AttachedDiskInitializeParams.newBuilder().setSourceImage(
                                                "projects/debian-cloud/global/images/family/debian-12")))).build())
                .getName());
        String untagged = "zones/us-central1-b/instances/" + untaggedName;

        assertFalse(ours.equals(theirs), "each deployment launched an instance of its own");
        assertEquals("team-b", instance(teamB.listManaged(REGION).stream().filter(n -> n.instanceId().equals(theirs))
                .findFirst().orElseThrow()).getLabelsMap().get(CloudTags.DEPLOYMENT));
        assertEquals(java.util.Set.of(ours, untagged), idsOf(gce.listManaged(REGION), key));
        assertEquals(java.util.Set.of(theirs), idsOf(teamB.listManaged(REGION), key));
        assertEquals(1, teamB.launch(spec(key, "us-central1-b", false, 1, "sleep 60")).size(),
                "a replayed launch of team-b finds its own instance only");

        assertEquals(1, teamB.terminate(REGION, key));
        await().atMost(Duration.ofSeconds(20)).until(() -> idsOf(teamB.listManaged(REGION), key).isEmpty());
        assertEquals(java.util.Set.of(ours, untagged), idsOf(gce.listManaged(REGION), key), "the default's live on");
        assertEquals(2, gce.terminate(REGION, key));
        await().atMost(Duration.ofSeconds(20)).until(() -> idsOf(gce.listManaged(REGION), key).isEmpty());
    }

    private static java.util.Set<String> idsOf(List<CloudInstance> listed, ClusterKey key) {
        return listed.stream().filter(n -> n.cluster().equals(key)).filter(n -> n.state().alive())
                .map(CloudInstance::instanceId).collect(java.util.stream.Collectors.toSet());
    }

    private static Optional<NodeState> stateOf(String instanceId) {
        return listed(instanceId).map(CloudInstance::state);
    }

    private static Optional<CloudInstance> listed(String instanceId) {
        return gce.listManaged(REGION).stream().filter(n -> n.instanceId().equals(instanceId)).findFirst();
    }

    /** One poll as core's poller makes it: this region's listing through the tracker; the cluster's state. */
    private static ClusterState poll(ClusterTracker tracker, ClusterKey key) {
        ClusterState state = null;
        for (ClusterObservation seen : tracker.observe(REGION, gce.listManaged(REGION), Instant.now())) {
            tracker.commit(seen, Map.of(), false, Instant.now());
            if (seen.key().equals(key)) state = seen.state();
        }
        return state;
    }

    private static Instance instance(CloudInstance node) {
        String name = node.instanceId().substring(node.instanceId().lastIndexOf('/') + 1);
        return clients.instances().get("adapter-project", node.zone(), name);
    }

    /** instances.get answers 404. */
    private static boolean gone(CloudInstance node) {
        try {
            instance(node);
            return false;
        } catch (NotFoundException e) {
            return true;
        }
    }

    private static int diskStatus(CloudInstance node) {
        String name = node.instanceId().substring(node.instanceId().lastIndexOf('/') + 1);
        try {
            disks.get("adapter-project", node.zone(), name);
            return 200;
        } catch (ApiException e) {
            return e.getStatusCode().getCode() == StatusCode.Code.NOT_FOUND ? 404 : -1;
        }
    }

    private static LaunchSpec gpuSpec(ClusterKey key, String zone, String machineType, Accelerator accelerator,
                                      Integer diskGb) {
        LaunchCluster cmd = launch(key, 1, "sleep 30");
        return new LaunchSpec(key, Placement.builder().cloud("gcp").region(REGION_OF.apply(zone)).zone(zone)
                .instanceType(machineType).pricePerHour(1.0).accelerator(accelerator).diskSizeGb(diskGb)
                .build(), List.of(StartupScript.render(cmd, 0, shipping(key, 0))));
    }

    /** What the node shipped from {@code offset} on, read back from the output bucket. */
    private static String output(CloudInstance node, long offset) {
        NodeOutput out = gce.readOutput(node, offset);
        assertEquals(offset, out.offset());
        return new String(out.data(), StandardCharsets.UTF_8);
    }

    /** The node ships its output to the bucket with the adapter's signed policy, valid an hour. */
    private static ScriptOptions shipping(ClusterKey key, int rank) {
        return ScriptOptions.defaults().withShipping(gce.outputShipping(key, REGION, rank, Duration.ofHours(1)));
    }

    private static GceProvisioner provisioner(GceClients compute) {
        return provisioner(compute, DeploymentId.DEFAULT);
    }

    private static GceProvisioner provisioner(GceClients compute, DeploymentId deployment) {
        GcpConfig config = config(mock.endpoint());
        GcsOutputStore output = new GcsOutputStore(storage, config, DeploymentId.DEFAULT);
        return new GceProvisioner(compute, config, new CallPacer(), output, new GcsSecretStore(storage, output),
                new GcsObjectStore(storage, config),
                new GcpAccountCheck(config, compute, storage, output, new ResourceManagerClient(config)), deployment);
    }

    private static ClusterKey cluster() {
        String job = "adapter-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 2, "cj-" + job + "-2");
    }

    private static LaunchCluster launch(ClusterKey key, int nodes, String run) {
        return new LaunchCluster(key.jobId(), key.attempt(), key.clusterName(), "task-" + key.jobId(),
                Placement.builder().cloud("gcp").region(REGION).instanceType("e2-small").pricePerHour(0.01)
                        .build(), nodes, Map.of(), null, run);
    }

    private static LaunchSpec spec(ClusterKey key, String zone, boolean spot, int nodes, String run) {
        LaunchCluster cmd = launch(key, nodes, run);
        return new LaunchSpec(key, Placement.builder().cloud("gcp").region(REGION).zone(zone).instanceType("e2-small")
                .spot(spot).pricePerHour(0.01).build(),
                IntStream.range(0, nodes).mapToObj(r -> StartupScript.render(cmd, r, shipping(key, r))).toList());
    }

    static GcpConfig config(String endpoint) {
        return config(endpoint, gcs.endpoint());
    }

    static GcpConfig config(String endpoint, String storageEndpoint) {
        return config(endpoint, storageEndpoint, gcs.keyFile());
    }

    static GcpConfig config(String endpoint, String storageEndpoint, String keyFile) {
        return config(endpoint, storageEndpoint, keyFile, Optional.empty());
    }

    /** With {@code storeBucket} as {@code crossjobs.gcp.store-bucket}. */
    static GcpConfig config(String endpoint, String storageEndpoint, String keyFile, Optional<String> storeBucket) {
        return new GcpConfig() {
            @Override public Optional<String> endpointOverride() { return Optional.of(endpoint); }
            @Override public String project() { return "adapter-project"; }
            @Override public Map<String, List<String>> zones() {
                return Map.of(REGION, List.of("us-central1-a", "us-central1-b"));
            }
            @Override public String network() { return "default"; }
            @Override public String sourceImage() { return "projects/debian-cloud/global/images/family/debian-12"; }
            @Override public String diskType() { return "pd-balanced"; }
            @Override public String defaultMachineType() { return "e2-small"; }
            @Override public OptionalInt sdkMaxAttempts() { return OptionalInt.of(1); }
            @Override public int pageSize() { return 5; }
            @Override public Duration callTimeout() { return Duration.ofSeconds(20); }
            @Override public Duration operationTimeout() { return Duration.ofSeconds(30); }
            @Override public Optional<String> storageEndpointOverride() { return Optional.of(storageEndpoint); }
            @Override public Optional<String> outputBucket() { return Optional.empty(); }
            @Override public String outputBucketLocation() { return "US"; }
            @Override public Optional<String> storeBucket() { return storeBucket; }
            @Override public String storeBucketLocation() { return "us-central1"; }
            @Override public int outputRetentionDays() { return 30; }
            @Override public Optional<String> signingCredentialsFile() { return Optional.of(keyFile); }
        };
    }
}

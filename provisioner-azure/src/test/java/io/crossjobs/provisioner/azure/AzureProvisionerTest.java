package io.crossjobs.provisioner.azure;

import io.crossjobs.events.CloudTags;
import io.crossjobs.events.NodeIpsLookup;
import io.crossjobs.testsupport.MockCloudProcess;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;
import io.crossjobs.provisioner.OutputObjects;
import io.crossjobs.provisioner.azure.config.AzureConfig;
import io.crossjobs.provisioner.azure.service.AzureClients;
import io.crossjobs.provisioner.azure.service.AzureProvisioner;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.provisioner.model.NodeState;
import io.crossjobs.events.ScriptOptions;
import io.crossjobs.events.StartupScript;
import io.crossjobs.testsupport.Ports;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

/** The Azure adapter with the real Azure SDK over HTTPS against mock-cloud's ARM front end. */
class AzureProvisionerTest {
    private static final String REGION = "westus2";
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final String CONTAINER = "crossjobs-adapter-output";

    private static MockCloudProcess mock;
    private static Vertx vertx;
    private static AzureProvisioner azure;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        vertx = Vertx.vertx();
        azure = provisioner(mock.armEndpoint(), "Delete");
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @AfterEach
    void noFaultLeft() {
        mock.clearFaults();
    }

    @Test
    void theTasksLabelsAreVmTagsBesideCrossjobsOwnAndTheMockRefusesWhatAzureRefuses() {
        ClusterKey key = cluster();
        LaunchSpec plain = spec(key, "2", false, 1, "true");
        azure.launch(new LaunchSpec(key, plain.placement(), plain.startupScripts(),
                Map.of("Cost Center", "R&D / ML")));

        Map<String, String> tags = mock.inventoryOfJob("azure", key.jobId()).get(0).tags();
        assertEquals("R&D / ML", tags.get("Cost Center"));
        assertEquals(key.jobId(), tags.get(CloudTags.JOB_ID));
        assertEquals(8, tags.size(), tags.toString());

        // an Azure tag name holds none of < > % & \ ? /: the VM PUT is refused
        ClusterKey refused = cluster();
        LaunchSpec base = spec(refused, "2", false, 1, "true");
        RuntimeException e = assertThrows(RuntimeException.class, () -> azure.launch(new LaunchSpec(refused,
                base.placement(), base.startupScripts(), Map.of("a/b", "x"))));
        assertEquals("InvalidTagNameCharacters", azure.classify(e).code());
        assertTrue(mock.inventoryOfJob("azure", refused.jobId()).isEmpty());
        azure.terminate(REGION, key);
    }

    @Test
    void clusterIsTaggedListedRunsItsScriptAndTerminates() {
        ClusterKey key = cluster();
        LaunchSpec spec = spec(key, "2", false, 1, "echo hello from $CROSSJOBS_NODE_RANK; echo second line");

        List<CloudInstance> launched = azure.launch(spec);

        assertEquals(1, launched.size());
        CloudInstance node = launched.get(0);
        assertEquals(key, node.cluster());
        assertEquals("2", node.zone());
        assertEquals(key.clusterName() + "-0", node.instanceId());
        MockCloudProcess.Item item = mock.inventoryOfJob("azure", key.jobId()).get(0);
        assertEquals(Map.of("managed-by", "crossjobs", "crossjobs-deployment", "default", "crossjobs-job-id", key.jobId(),
                "crossjobs-cluster", key.clusterName(), "crossjobs-attempt", "2", "crossjobs-node-rank", "0",
                "crossjobs-role", "job"), item.tags());
        assertEquals("Standard_D2s_v5", item.instanceType());
        assertEquals(REGION, item.region());

        await().atMost(WAIT).until(() -> stateOf(node.instanceId()).orElse(null) == NodeState.RUNNING);
        await().atMost(WAIT).until(() -> output(node, 0).contains("##crossjobs:run-exit=0##"));
        String whole = output(node, 0);
        assertTrue(whole.startsWith("hello from 0\nsecond line\n"), whole);
        int secondLine = "hello from 0\n".length();
        assertEquals(whole.substring(secondLine), output(node, secondLine));
        assertEquals("", output(node, whole.getBytes(StandardCharsets.UTF_8).length));

        assertEquals(1, azure.terminate(REGION, key));
        await().atMost(WAIT).until(() -> stateOf(node.instanceId()).isEmpty());
        assertEquals(0, azure.terminate(REGION, key), "a gone cluster is fine");
    }

    @Test
    void outputShipsThroughTheNodesOwnAppendBlobOnceEvenWhenAChunkIsShippedTwiceAndGoesWithTheCluster()
            throws Exception {
        ClusterKey key = cluster();
        String function = azure.outputShipping(key, REGION, 0, Duration.ofHours(1)).shipFunction();
        String sasUrl = function.substring(function.indexOf("'http") + 1, function.indexOf("&comp=appendblock'"));
        assertTrue(sasUrl.contains("&sp=a&") && sasUrl.contains("sr=b"), "add-only, this blob only: " + sasUrl);
        assertFalse(function.contains(MockBlobStorage.shared().accountKey()), "no account key on the node");
        CloudInstance node = new CloudInstance(key.clusterName() + "-0", key.jobId(), key.attempt(), key.clusterName(),
                0, REGION, null, "Standard_D2s_v5", false, null, NodeState.RUNNING, false, "Succeeded/running");
        assertEquals("", output(node, 0), "an empty blob reads as nothing new");

        java.nio.file.Path one = chunk("chunk one\n");
        assertEquals(0, ship(function, one, 0));
        assertEquals(0, ship(function, one, 0), "its answer lost, a chunk is shipped again: 412, taken as stored");
        assertEquals(0, ship(function, chunk("chunk two\n"), 10));
        assertEquals("chunk one\nchunk two\n", output(node, 0));
        assertEquals("chunk two\n", output(node, 10));
        assertEquals("", output(node, 20));

        azure.outputShipping(key, REGION, 0, Duration.ofHours(1));
        assertEquals("chunk one\nchunk two\n", output(node, 0), "a replayed launch truncates nothing");
        String blob = CONTAINER + "/" + OutputObjects.prefix(DeploymentId.DEFAULT, key, 0) + "output";
        assertTrue(mock.objectKeys("azure").contains(blob), mock.objectKeys("azure").toString());
        java.net.http.HttpResponse<String> read = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(sasUrl)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(403, read.statusCode(), "the node's SAS cannot read");
        assertEquals("AuthorizationPermissionMismatch", read.headers().firstValue("x-ms-error-code").orElse(null));

        azure.outputShipping(key, REGION, 1, Duration.ofHours(1));
        azure.deleteOutput(key);
        assertTrue(mock.objectKeys("azure").stream().noneMatch(k -> k.contains(key.jobId())));
        assertEquals("", output(node, 0));
        azure.deleteOutput(key);
    }

    private static java.nio.file.Path chunk(String text) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("chunk", "");
        java.nio.file.Files.writeString(file, text);
        return file;
    }

    /** Runs the ship function as a node's shipper loop does: {@code crossjobs_ship FILE OFFSET}. */
    private static int ship(String function, java.nio.file.Path file, long offset) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", "crossjobs_ship() {\n" + function + "\n}\ncrossjobs_ship \"$0\" \"$1\"",
                file.toString(), Long.toString(offset)).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        if (p.exitValue() != 0) System.err.println(said);
        return p.exitValue();
    }

    @Test
    void replayedLaunchCreatesNothingNewAndListingPagesThroughEverything() {
        ClusterKey key = cluster();
        LaunchSpec spec = spec(key, null, false, 4, "true");

        List<String> first = azure.launch(spec).stream().map(CloudInstance::instanceId).sorted().toList();
        List<String> again = azure.launch(spec).stream().map(CloudInstance::instanceId).sorted().toList();

        assertEquals(4, first.size());
        assertEquals(first, again);
        assertEquals(4, mock.inventoryOfJob("azure", key.jobId()).size());
        List<CloudInstance> listed = azure.listManaged(REGION).stream().filter(n -> n.cluster().equals(key)).toList();
        assertEquals(List.of(0, 1, 2, 3), listed.stream().map(CloudInstance::nodeRank).sorted().toList(),
                "page size is 3 here: the listing needs two pages");
        assertTrue(azure.listManaged("eastus2").stream().noneMatch(n -> n.cluster().equals(key)), "other regions are filtered out");

        assertEquals(4, azure.terminate(REGION, key));
    }

    @Test
    void failedAllocationIsPutAgainAndOnlyMissingRanksAreCreated() {
        ClusterKey key = cluster();
        mock.fault("azure", REGION, null, null, "AllocationFailed", 1);
        LaunchSpec spec = spec(key, null, false, 1, "true");
        assertEquals("AllocationFailed", azure.classify(assertThrows(RuntimeException.class, () -> azure.launch(spec))).code());
        assertEquals(0, mock.inventoryOfJob("azure", key.jobId()).size());
        assertEquals(NodeState.TERMINATED, azure.listManaged(REGION).stream().filter(n -> n.cluster().equals(key))
                .findFirst().orElseThrow().state(), "the Failed VM resource stays until deleted, running nothing");

        azure.launch(spec);
        List<CloudInstance> both = azure.launch(spec(key, null, false, 2, "true"));

        assertEquals(2, both.size());
        assertEquals(2, mock.inventoryOfJob("azure", key.jobId()).size());
        azure.terminate(REGION, key);
    }

    @ParameterizedTest
    @CsvSource({
            "AllocationFailed, CAPACITY, REGION",
            "ZonalAllocationFailed, CAPACITY, ZONE",
            "OverconstrainedAllocationRequest, CAPACITY, REGION",
            "OverconstrainedZonalAllocationRequest, CAPACITY, ZONE",
            "SkuNotAvailable, UNSUPPORTED, REGION",
            "OperationNotAllowed, QUOTA, REGION",
            "QuotaExceeded, QUOTA, REGION",
            "AuthorizationFailed, AUTH, CLOUD",
            "ReadOnlyDisabledSubscription, AUTH, CLOUD",
            "InvalidAuthenticationToken, AUTH, CLOUD",
            "TooManyRequests, THROTTLED, REGION",
            "InvalidParameter, INVALID_REQUEST, CLOUD",
            "InternalServerError, TRANSIENT, ZONE",
            "SomethingNobodyKnows, UNKNOWN, ZONE"})
    void everyMappedLaunchErrorIsClassifiedWithItsScope(String code, ErrorClass errorClass, BlockScope scope) {
        ClusterKey key = cluster();
        mock.fault("azure", REGION, null, null, code, 1);

        RuntimeException e = assertThrows(RuntimeException.class, () -> azure.launch(spec(key, "1", false, 1, "true")));

        CloudError error = azure.classify(e);
        assertEquals(new CloudError(errorClass, scope, code, error.message()), error);
        assertTrue(error.message() != null && !error.message().isBlank());
        assertEquals(0, mock.inventoryOfJob("azure", key.jobId()).size());
        azure.terminate(REGION, key);
    }

    @Test
    void aThrottledListAndAnOutputStoreRefusingTheKeyAreClassified() {
        // a provisioner of its own: listings are shared for half a poll, another test's may still be fresh
        AzureProvisioner fresh = provisioner(mock.armEndpoint(), "Delete");
        mock.fault("azure", null, null, "virtualMachines.list", "TooManyRequests", 1);
        CloudError list = fresh.classify(assertThrows(RuntimeException.class, () -> fresh.listManaged(REGION)));
        assertEquals(ErrorClass.THROTTLED, list.errorClass());

        AzureConfig wrongKey = config(mock.armEndpoint(), "Delete", "crossjobs-adapter", Optional.empty(),
                storage(java.util.Base64.getEncoder().encodeToString(new byte[64])));
        AzureProvisioner refused = new AzureProvisioner(new AzureClients(wrongKey, vertx, new CallPacer()), wrongKey,
                DeploymentId.DEFAULT);
        CloudError error = refused.classify(assertThrows(RuntimeException.class,
                () -> refused.outputShipping(cluster(), REGION, 0, Duration.ofHours(1))));
        assertEquals(new CloudError(ErrorClass.AUTH, BlockScope.CLOUD, "AuthenticationFailed", error.message()), error);
    }

    @Test
    void realRefusalsAndAnUnreachableEndpointAreClassified() {
        ClusterKey key = cluster();
        LaunchSpec noSize = new LaunchSpec(key, Placement.builder().cloud("azure").region(REGION).instanceType(" ")
                .pricePerHour(0.01).build(),
                List.of(StartupScript.render(launch(key, 1, "true"), 0, List.of())));
        assertEquals(ErrorClass.INVALID_REQUEST,
                azure.classify(assertThrows(RuntimeException.class, () -> azure.launch(noSize))).errorClass());

        AzureProvisioner unreachable = provisioner("https://127.0.0.1:" + Ports.free() + "/", "Delete");
        CloudError error = unreachable.classify(assertThrows(RuntimeException.class, () -> unreachable.listManaged(REGION)));
        assertEquals(new CloudError(ErrorClass.TRANSIENT, BlockScope.ZONE, "ClientError", error.message()), error);
    }

    @Test
    void aGpuSizeFailsOverAsTheRegionsQuotaUntilRaisedAndTheQuotaCountsLiveVms() {
        String region = "westeurope";         // no other test launches there
        mock.setQuota("azure", region, "standardNCASv3_T4Family", 0);
        ClusterKey refusedKey = cluster();
        CloudError error = azure.classify(assertThrows(RuntimeException.class,
                () -> azure.launch(gpuSpec(refusedKey, region))));
        assertEquals(ErrorClass.QUOTA, error.errorClass());
        assertEquals(BlockScope.REGION, error.scope(), "another region or cloud may have room");
        assertEquals("OperationNotAllowed", error.code());
        assertTrue(error.message().contains("exceeding approved standardNCASv3_T4Family Cores quota")
                && error.message().contains("Current Limit: 0, Current Usage: 0, Additional Required: 4"), error.message());
        assertEquals(0, mock.inventoryOfJob("azure", refusedKey.jobId()).size());

        mock.setQuota("azure", region, "standardNCASv3_T4Family", 4);          // one Standard_NC4as_T4_v3
        ClusterKey first = cluster();
        assertEquals(1, azure.launch(gpuSpec(first, region)).size());
        assertEquals("Standard_NC4as_T4_v3", mock.inventoryOfJob("azure", first.jobId()).get(0).instanceType());
        CloudError full = azure.classify(assertThrows(RuntimeException.class, () -> azure.launch(gpuSpec(cluster(), region))));
        assertTrue(full.message().contains("Current Limit: 4, Current Usage: 4"), full.message());

        azure.terminate(region, first);
        ClusterKey second = cluster();
        assertEquals(1, azure.launch(gpuSpec(second, region)).size(), "a deleted VM gives its vCPUs back");
        azure.terminate(region, second);
    }

    @Test
    void spotEvictionIsRecognisedWithEitherPolicy() {
        ClusterKey deleted = cluster();
        CloudInstance gone = azure.launch(spec(deleted, null, true, 1, "sleep 30")).get(0);
        assertTrue(gone.spot());
        mock.preempt(mock.inventoryOfJob("azure", deleted.jobId()).get(0).id());
        // policy Delete: the VM vanishes without a delete request (core's tracker reports that as preemption)
        await().atMost(WAIT).until(() -> stateOf(gone.instanceId()).isEmpty());

        AzureProvisioner deallocating = provisioner(mock.armEndpoint(), "Deallocate");
        ClusterKey kept = cluster();
        CloudInstance node = deallocating.launch(spec(kept, null, true, 1, "sleep 30")).get(0);
        assertFalse(node.preempted());
        mock.preempt(mock.inventoryOfJob("azure", kept.jobId()).get(0).id());
        await().atMost(WAIT).until(() -> azure.listManaged(REGION).stream()
                .anyMatch(n -> n.instanceId().equals(node.instanceId()) && n.preempted() && n.state() == NodeState.TERMINATED));
        assertEquals(1, azure.terminate(REGION, kept));
        await().atMost(WAIT).until(() -> stateOf(node.instanceId()).isEmpty());
    }

    @Test
    void everyNodeReadsTheAddressesWrittenIntoItsTagsFromItsOwnMetadata() {
        ClusterKey key = cluster();
        LaunchCluster cmd = launch(key, 2, "echo \"ips=$(printf '%s' \"$SKYPILOT_NODE_IPS\" | tr '\\n' ,)\"");
        NodeIpsLookup lookup = new NodeIpsLookup(azure.nodeIpsReadCommand(), Duration.ofMinutes(2));
        azure.launch(new LaunchSpec(key, Placement.builder().cloud("azure").region(REGION).zone("2")
                .instanceType("Standard_D2s_v5").pricePerHour(0.01).build(),
                IntStream.range(0, 2).mapToObj(r -> StartupScript.render(cmd, r, shipping(key, r).withLookup(lookup))).toList()));
        // the listing carries each VM's private IP, read from its NIC
        List<CloudInstance> nodes = azure.listManaged(REGION).stream().filter(n -> n.cluster().equals(key))
                .sorted(java.util.Comparator.comparingInt(CloudInstance::nodeRank)).toList();
        assertTrue(nodes.stream().allMatch(n -> n.privateIp() != null && n.privateIp().startsWith("10.")),
                nodes.toString());
        String ips = nodes.get(0).privateIp() + " " + nodes.get(1).privateIp();

        azure.writeNodeIps(REGION, nodes, ips);
        azure.writeNodeIps(REGION, nodes, ips);

        String expected = "ips=" + nodes.get(0).privateIp() + "," + nodes.get(1).privateIp() + "\n";
        for (CloudInstance node : nodes) {
            await().atMost(WAIT).until(() -> output(node, 0).contains("##crossjobs:run-exit=0##"));
            assertTrue(output(node, 0).contains(expected), output(node, 0));
        }
        Map<String, String> tags = mock.inventoryOfJob("azure", key.jobId()).get(0).tags();
        assertEquals(ips, tags.get(CloudTags.NODE_IPS));
        assertEquals(key.jobId(), tags.get(CloudTags.JOB_ID), "the other tags are kept");
        assertEquals(2, azure.terminate(REGION, key));
    }

    /**
     * Two deployments in one resource group (the default one and team-b) launch a cluster of the same name, as they
     * do: job ids are counted per deployment. Each gets a VM of its own (names are unique in the group, so team-b's
     * holds its id), lists only its own, and deleting its cluster leaves the other's running.
     */
    @Test
    void twoDeploymentsOfOneResourceGroupEachListAndTerminateOnlyTheirOwnClusterOfTheSameName() {
        AzureConfig config = config(mock.armEndpoint(), "Delete", "crossjobs-adapter", Optional.empty());
        AzureProvisioner teamB = new AzureProvisioner(new AzureClients(config, vertx, new CallPacer()), config,
                new DeploymentId("team-b"));
        ClusterKey key = cluster();

        String ours = azure.launch(spec(key, "2", false, 1, "sleep 60")).get(0).instanceId();
        String theirs = teamB.launch(spec(key, "2", false, 1, "sleep 60")).get(0).instanceId();

        assertEquals(key.clusterName() + "-0", ours, "the default deployment's names are as before");
        assertEquals(key.clusterName() + "-team-b-0", theirs);
        assertEquals("team-b", mock.inventoryOfJob("azure", key.jobId()).stream()
                .filter(i -> i.name().equals(theirs)).findFirst().orElseThrow().tags().get(CloudTags.DEPLOYMENT));
        await().atMost(WAIT).until(() -> idsOf(azure.listManaged(REGION), key).equals(java.util.Set.of(ours)));
        assertEquals(java.util.Set.of(theirs), idsOf(teamB.listManaged(REGION), key));
        assertEquals(1, teamB.launch(spec(key, "2", false, 1, "sleep 60")).size(),
                "a replayed launch of team-b finds its own VM only");

        assertEquals(1, teamB.terminate(REGION, key));
        await().atMost(WAIT).until(() -> idsOf(teamB.listManaged(REGION), key).isEmpty());
        assertEquals(java.util.Set.of(ours), idsOf(azure.listManaged(REGION), key), "the default's lives on");
        assertEquals(1, azure.terminate(REGION, key));
        await().atMost(WAIT).until(() -> idsOf(azure.listManaged(REGION), key).isEmpty());
    }

    private static java.util.Set<String> idsOf(List<CloudInstance> listed, ClusterKey key) {
        return listed.stream().filter(n -> n.cluster().equals(key)).filter(n -> n.state().alive())
                .map(CloudInstance::instanceId).collect(java.util.stream.Collectors.toSet());
    }

    private static Optional<NodeState> stateOf(String instanceId) {
        return azure.listManaged(REGION).stream().filter(n -> n.instanceId().equals(instanceId))
                .map(CloudInstance::state).findFirst();
    }

    /** What the node shipped from {@code offset} on, read back as core reads it. */
    private static String output(CloudInstance node, long offset) {
        NodeOutput out = azure.readOutput(node, offset);
        assertEquals(offset, out.offset());
        return new String(out.data(), StandardCharsets.UTF_8);
    }

    private static ClusterKey cluster() {
        String job = "adapter-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 2, "cj-" + job + "-2");
    }

    private static LaunchCluster launch(ClusterKey key, int nodes, String run) {
        return new LaunchCluster(key.jobId(), key.attempt(), key.clusterName(), "task-" + key.jobId(),
                Placement.builder().cloud("azure").region(REGION).instanceType("Standard_D2s_v5").pricePerHour(0.096)
                        .build(), nodes, Map.of(), null, run);
    }

    private static LaunchSpec spec(ClusterKey key, String zone, boolean spot, int nodes, String run) {
        LaunchCluster cmd = launch(key, nodes, run);
        return new LaunchSpec(key, Placement.builder().cloud("azure").region(REGION).zone(zone)
                .instanceType("Standard_D2s_v5").spot(spot).pricePerHour(0.01).build(),
                IntStream.range(0, nodes).mapToObj(r -> StartupScript.render(cmd, r, shipping(key, r))).toList());
    }

    /** As core renders a node's script: its output shipped through the node's own append blob. */
    private static ScriptOptions shipping(ClusterKey key, int rank) {
        return ScriptOptions.defaults().withShipping(azure.outputShipping(key, REGION, rank, Duration.ofHours(1)));
    }

    private static LaunchSpec gpuSpec(ClusterKey key, String region) {
        LaunchCluster cmd = launch(key, 1, "true");
        return new LaunchSpec(key, Placement.builder().cloud("azure").region(region)
                .instanceType("Standard_NC4as_T4_v3").pricePerHour(0.526).build(),
                List.of(StartupScript.render(cmd, 0, List.of())));
    }

    private static AzureProvisioner provisioner(String endpoint, String evictionPolicy) {
        AzureConfig config = config(endpoint, evictionPolicy, "crossjobs-adapter", Optional.empty());
        return new AzureProvisioner(new AzureClients(config, vertx, new CallPacer()), config, DeploymentId.DEFAULT);
    }

    static AzureConfig config(String endpoint, String evictionPolicy, String resourceGroup,
                              Optional<String> subnetIdTemplate) {
        return config(endpoint, evictionPolicy, resourceGroup, subnetIdTemplate,
                storage(MockBlobStorage.shared().accountKey()));
    }

    /** mock-cloud's storage account, signed with {@code key}, container {@value #CONTAINER}. */
    static AzureConfig.Storage storage(String key) {
        MockCloudProcess.Blob blob = MockBlobStorage.shared();
        return new AzureConfig.Storage() {
            @Override public String account() { return blob.account(); }
            @Override public String accountKey() { return key; }
            @Override public String container() { return CONTAINER; }
            @Override public String storeContainer() { return "crossjobs-adapter-store"; }
            @Override public Optional<URI> endpointOverride() { return Optional.of(URI.create(blob.endpoint())); }
        };
    }

    static AzureConfig config(String endpoint, String evictionPolicy, String resourceGroup,
                              Optional<String> subnetIdTemplate, AzureConfig.Storage storage) {
        return new AzureConfig() {
            @Override public Optional<URI> endpointOverride() { return Optional.of(URI.create(endpoint)); }
            @Override public Optional<String> trustCertificate() { return Optional.of(MockCloudProcess.shared().armCertificate()); }
            @Override public String subscriptionId() { return "00000000-0000-0000-0000-0000000adab7"; }
            @Override public Optional<String> tenantId() { return Optional.empty(); }
            @Override public String resourceGroup() { return resourceGroup; }
            @Override public String image() { return "Canonical:ubuntu-24_04-lts:server:latest"; }
            @Override public String defaultVmSize() { return "Standard_D2s_v5"; }
            @Override public Optional<String> subnetIdTemplate() { return subnetIdTemplate; }
            @Override public String networkAddressPrefix() { return "10.0.0.0/16"; }
            @Override public boolean defaultOutboundAccess() { return true; }
            @Override public String osDiskType() { return "StandardSSD_LRS"; }
            @Override public String adminUsername() { return "azureuser"; }
            @Override public Optional<String> sshPublicKey() { return Optional.empty(); }
            @Override public String spotEvictionPolicy() { return evictionPolicy; }
            @Override public OptionalInt sdkMaxRetries() { return OptionalInt.of(0); }
            @Override public Duration callTimeout() { return Duration.ofSeconds(20); }
            @Override public Duration operationTimeout() { return Duration.ofSeconds(30); }
            @Override public Storage storage() { return storage; }
        };
    }
}

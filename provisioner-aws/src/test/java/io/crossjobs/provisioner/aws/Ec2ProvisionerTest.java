package io.crossjobs.provisioner.aws;

import io.crossjobs.events.CloudTags;
import io.crossjobs.provisioner.aws.store.S3Buckets;
import io.crossjobs.provisioner.aws.store.S3ObjectStore;
import io.crossjobs.events.NodeIpsLookup;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.testsupport.MockCloudProcess;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;
import io.crossjobs.provisioner.aws.output.S3OutputStore;
import io.crossjobs.provisioner.aws.service.AwsClients;
import io.crossjobs.provisioner.aws.service.Ec2Provisioner;
import io.crossjobs.provisioner.aws.service.ImageResolver;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.provisioner.model.NodeState;
import io.crossjobs.events.ScriptOptions;
import io.crossjobs.events.StartupScript;
import io.crossjobs.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EC2 adapter with the real AWS SDK against mock-cloud's EC2 Query API. */
class Ec2ProvisionerTest {
    private static final String REGION = "us-east-2";

    private static MockCloudProcess mock;
    private static AwsClients clients;
    private static Ec2Provisioner ec2;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        TestAwsConfig config = TestAwsConfig.at(mock.endpoint());
        clients = new AwsClients(config, new CallPacer());
        ec2 = new Ec2Provisioner(clients, new ImageResolver(clients, config), config,
                new S3OutputStore(clients, config, new S3Buckets(clients), DeploymentId.DEFAULT),
                new S3ObjectStore(clients, config, new S3Buckets(clients)),
                new io.crossjobs.provisioner.aws.check.AccountCheck(clients, config), DeploymentId.DEFAULT);
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    @AfterEach
    void noFaultLeft() {
        mock.clearFaults();
    }

    /** EC2's request limits are PacingTest's subject; here every test starts on full buckets. */
    @BeforeEach
    void fullBuckets() {
        mock.refillLimits();
    }

    /** mock-cloud enforces EC2's RunInstances bucket (5, refilled 2 a second): paced just under it, none is refused. */
    @Test
    void aBurstOfLaunchesBeyondTheBucketIsSpacedAndNoneIsRefused() {
        long start = System.nanoTime();
        for (int i = 0; i < 9; i++) {
            String job = "pace-" + UUID.randomUUID().toString().substring(0, 8);
            ec2.launch(new LaunchSpec(new ClusterKey(job, 1, "cj-" + job + "-1"),
                    Placement.builder().cloud("aws").region(REGION).instanceType("t3.micro").pricePerHour(0.01)
                            .build(), List.of("#!/bin/bash\ntrue\n")));
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        MockCloudProcess.ApiCalls run = mock.apiCalls("aws", "RunInstances");
        assertEquals(9, run.admitted());
        assertEquals(0, run.throttled(), "paced calls stay within EC2's bucket");
        assertTrue(seconds >= 2.5, "paced just under the bucket: 4 at once, then one every 0.56 s; took " + seconds
                + " s");
    }

    @Test
    void clusterIsTaggedListedRunsItsScriptAndTerminates() {
        ClusterKey key = cluster();
        LaunchSpec spec = spec(key, "us-east-2b", false, 1, "echo hello from $CROSSJOBS_NODE_RANK; echo second line");

        List<CloudInstance> launched = ec2.launch(spec);

        assertEquals(1, launched.size());
        CloudInstance node = launched.get(0);
        assertEquals(key, node.cluster());
        assertEquals("us-east-2b", node.zone());
        MockCloudProcess.Item item = mock.inventoryOfJob("aws", key.jobId()).get(0);
        assertEquals(Map.of("managed-by", "crossjobs", "crossjobs-deployment", "default", "crossjobs-job-id", key.jobId(),
                "crossjobs-cluster", key.clusterName(), "crossjobs-attempt", "2", "crossjobs-node-rank", "0",
                "crossjobs-role", "job", "Name", key.clusterName() + "-0"), item.tags());
        assertEquals("t3.micro", item.instanceType());

        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(node.instanceId()).orElse(null) == NodeState.RUNNING);

        await().atMost(Duration.ofSeconds(20)).until(() -> output(node, 0).contains("##crossjobs:run-exit=0##"));
        String whole = output(node, 0);
        assertTrue(whole.startsWith("hello from 0\nsecond line\n"), whole);
        int secondLine = "hello from 0\n".length();
        assertEquals(whole.substring(secondLine), output(node, secondLine));
        assertEquals("", output(node, whole.getBytes(StandardCharsets.UTF_8).length));

        assertEquals(1, ec2.terminate(REGION, key));
        // EC2 still describes it as terminated for a while; the listing leaves terminated instances out
        await().atMost(Duration.ofSeconds(20)).until(() -> stateOf(node.instanceId()).isEmpty());
        assertEquals("terminated", mock.inventoryOfJob("aws", key.jobId()).get(0).state());
        assertEquals(0, ec2.terminate(REGION, key), "a gone cluster is fine");
    }

    @Test
    void theTasksLabelsAreTagsBesideCrossjobsOwnAndTheMockRefusesWhatEc2Refuses() {
        ClusterKey key = cluster();
        LaunchSpec plain = spec(key, "us-east-2b", false, 1, "true");
        ec2.launch(new LaunchSpec(key, plain.placement(), plain.startupScripts(),
                Map.of("team", "ML Research", "cost:center", "42")));

        Map<String, String> tags = mock.inventoryOfJob("aws", key.jobId()).get(0).tags();
        assertEquals("ML Research", tags.get("team"));
        assertEquals("42", tags.get("cost:center"));
        assertEquals(key.jobId(), tags.get(CloudTags.JOB_ID));
        assertEquals(10, tags.size(), tags.toString());

        // EC2 reserves the aws: prefix ("Tag restrictions"): RunInstances is refused and nothing is made
        ClusterKey refused = cluster();
        LaunchSpec base = spec(refused, "us-east-2b", false, 1, "true");
        RuntimeException e = assertThrows(RuntimeException.class, () -> ec2.launch(new LaunchSpec(refused,
                base.placement(), base.startupScripts(), Map.of("aws:owner", "me"))));
        assertEquals("InvalidParameterValue", ec2.classify(e).code());
        assertEquals(0, mock.inventoryOfJob("aws", refused.jobId()).size());
        ec2.terminate(REGION, key);
    }

    @Test
    void everyNodeReadsAllAddressesFromItsOwnTagsOnceTheyAreWritten() {
        ClusterKey key = cluster();
        LaunchCluster cmd = launch(key, 2, "echo \"ips=$(printf '%s' \"$SKYPILOT_NODE_IPS\" | tr '\\n' ,)\"");
        NodeIpsLookup lookup = new NodeIpsLookup(ec2.nodeIpsReadCommand(), Duration.ofMinutes(2));
        ec2.launch(new LaunchSpec(key, Placement.builder().cloud("aws").region(REGION).instanceType("t3.micro")
                .pricePerHour(0.01).build(), IntStream.range(0, 2)
                .mapToObj(r -> StartupScript.render(cmd, r, ScriptOptions.defaults().withLookup(lookup)
                        .withShipping(ec2.outputShipping(key, REGION, r, Duration.ofHours(1))))).toList()));
        List<CloudInstance> nodes = ec2.listManaged(REGION).stream().filter(n -> n.cluster().equals(key))
                .sorted(java.util.Comparator.comparingInt(CloudInstance::nodeRank)).toList();
        String ips = nodes.get(0).privateIp() + " " + nodes.get(1).privateIp();

        ec2.writeNodeIps(REGION, nodes, ips);

        assertEquals(ips, mock.inventoryOfJob("aws", key.jobId()).get(1).tags().get(CloudTags.NODE_IPS));
        String expected = "ips=" + nodes.get(0).privateIp() + "," + nodes.get(1).privateIp() + "\n";
        for (CloudInstance node : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> output(node, 0).contains("##crossjobs:run-exit=0##"));
            assertTrue(output(node, 0).contains(expected), output(node, 0));
        }
        assertEquals(2, ec2.terminate(REGION, key));
    }

    @Test
    void replayedLaunchCreatesNothingNewAndListingPagesThroughEverything() {
        ClusterKey key = cluster();
        LaunchSpec spec = spec(key, null, false, 6, "true");

        List<String> first = ec2.launch(spec).stream().map(CloudInstance::instanceId).sorted().toList();
        List<String> again = ec2.launch(spec).stream().map(CloudInstance::instanceId).sorted().toList();

        assertEquals(6, first.size());
        assertEquals(first, again);
        assertEquals(6, mock.inventoryOfJob("aws", key.jobId()).size());
        List<CloudInstance> listed = ec2.listManaged(REGION).stream().filter(n -> n.cluster().equals(key)).toList();
        assertEquals(first, listed.stream().map(CloudInstance::instanceId).sorted().toList(),
                "page size is 5 here: the listing needs two pages");
        assertEquals(List.of(0, 1, 2, 3, 4, 5), listed.stream().map(CloudInstance::nodeRank).sorted().toList());

        assertEquals(6, ec2.terminate(REGION, key));
    }

    @Test
    void onlyMissingRanksAreCreated() {
        ClusterKey key = cluster();
        mock.fault("aws", REGION, null, null, "InsufficientInstanceCapacity", 1);
        LaunchSpec spec = spec(key, null, false, 1, "true");
        assertThrows(RuntimeException.class, () -> ec2.launch(spec));
        assertEquals(0, mock.inventoryOfJob("aws", key.jobId()).size());

        LaunchSpec twoNodes = spec(key, null, false, 2, "true");
        ec2.launch(spec);
        List<CloudInstance> both = ec2.launch(twoNodes);

        assertEquals(2, both.size());
        assertEquals(2, mock.inventoryOfJob("aws", key.jobId()).size());
        ec2.terminate(REGION, key);
    }

    @ParameterizedTest
    @CsvSource({
            "InsufficientInstanceCapacity, CAPACITY, ZONE",
            "InsufficientHostCapacity, CAPACITY, ZONE",
            "InsufficientReservedInstanceCapacity, CAPACITY, ZONE",
            "InsufficientCapacity, CAPACITY, ZONE",
            "UnfulfillableCapacity, CAPACITY, ZONE",
            "MaxSpotInstanceCountExceeded, QUOTA, REGION",
            "SpotMaxPriceTooLow, CAPACITY, ZONE",
            "Unsupported, UNSUPPORTED, ZONE",
            "VcpuLimitExceeded, QUOTA, REGION",
            "InstanceLimitExceeded, QUOTA, REGION",
            "RequestLimitExceeded, THROTTLED, REGION",
            "AuthFailure, AUTH, CLOUD",
            "UnauthorizedOperation, AUTH, CLOUD",
            "OptInRequired, AUTH, REGION",
            "InvalidParameterValue, INVALID_REQUEST, CLOUD",
            "InvalidParameterCombination, INVALID_REQUEST, CLOUD",
            "MissingParameter, INVALID_REQUEST, CLOUD",
            "InvalidAMIID.NotFound, UNSUPPORTED, REGION",
            "InvalidBlockDeviceMapping, INVALID_REQUEST, CLOUD",
            "InternalError, TRANSIENT, ZONE",
            "Unavailable, TRANSIENT, ZONE",
            "SomethingNobodyKnows, UNKNOWN, ZONE"})
    void everyMappedLaunchErrorIsClassifiedWithItsScope(String code, ErrorClass errorClass, BlockScope scope) {
        ClusterKey key = cluster();
        mock.fault("aws", REGION, null, null, code, 1);

        RuntimeException e = assertThrows(RuntimeException.class, () -> ec2.launch(spec(key, null, false, 1, "true")));

        CloudError error = ec2.classify(e);
        assertEquals(new CloudError(errorClass, scope, code, error.message()), error);
        assertTrue(error.message() != null && !error.message().isBlank());
        assertEquals(0, mock.inventoryOfJob("aws", key.jobId()).size());
    }

    @Test
    void throttledListAndTerminateAreClassifiedToo() {
        mock.fault("aws", REGION, null, "DescribeInstances", "RequestLimitExceeded", 1);
        CloudError list = ec2.classify(assertThrows(RuntimeException.class, () -> ec2.listManaged(REGION)));
        assertEquals(ErrorClass.THROTTLED, list.errorClass());

        // terminate finds the cluster's instances first
        mock.fault("aws", REGION, null, "DescribeInstances", "InternalError", 1);
        CloudError terminate = ec2.classify(assertThrows(RuntimeException.class,
                () -> ec2.terminate(REGION, cluster())));
        assertEquals(ErrorClass.TRANSIENT, terminate.errorClass());
    }

    @Test
    void realRefusalsOfTheApiAreClassified() {
        ClusterKey key = cluster();
        LaunchSpec badType = new LaunchSpec(key, Placement.builder().cloud("aws").region(REGION)
                .instanceType("no.such-type").pricePerHour(0.01).build(),
                List.of(StartupScript.render(launch(key, 1, "true"), 0, List.of())));
        assertEquals(ErrorClass.INVALID_REQUEST,
                ec2.classify(assertThrows(RuntimeException.class, () -> ec2.launch(badType))).errorClass());

        TestAwsConfig nowhereConfig = TestAwsConfig.at("http://127.0.0.1:" + Ports.free());
        AwsClients nowhere = new AwsClients(nowhereConfig, new CallPacer());
        try {
            Ec2Provisioner unreachable = new Ec2Provisioner(nowhere, new ImageResolver(nowhere, nowhereConfig),
                    nowhereConfig, new S3OutputStore(nowhere, nowhereConfig, new S3Buckets(nowhere), DeploymentId.DEFAULT),
                    new S3ObjectStore(nowhere, nowhereConfig, new S3Buckets(nowhere)),
                    new io.crossjobs.provisioner.aws.check.AccountCheck(nowhere, nowhereConfig), DeploymentId.DEFAULT);
            CloudError error = unreachable.classify(assertThrows(RuntimeException.class,
                    () -> unreachable.listManaged(REGION)));
            assertEquals(new CloudError(ErrorClass.TRANSIENT, BlockScope.ZONE, "ClientError", error.message()), error);
        } finally {
            nowhere.close();
        }
    }

    @Test
    void spotInterruptionIsRecognisedAsPreemption() {
        CloudInstance node = ec2.launch(spec(cluster(), null, true, 1, "sleep 30")).get(0);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stateOf(node.instanceId()).orElse(null) == NodeState.RUNNING);

        // seen while shutting down: once terminated, it is no longer listed
        mock.preempt(node.instanceId(), Duration.ofSeconds(30));

        CloudInstance seen = await().atMost(Duration.ofSeconds(20)).until(() -> ec2.listManaged(REGION).stream()
                .filter(n -> n.instanceId().equals(node.instanceId()) && !n.state().alive())
                .findFirst().orElse(null), java.util.Objects::nonNull);
        assertTrue(seen.preempted(), seen.toString());
        assertTrue(seen.spot());
        assertEquals("Server.SpotInstanceTermination", seen.stateReason());
    }

    /**
     * Two deployments in one account (the default one and team-b) launch a cluster of the same name, as they do: job
     * ids are counted per deployment. Each gets an instance of its own, lists only its own, reads only its own output
     * from the shared bucket, and terminating its cluster (and deleting its output) leaves the other's; an instance
     * from before deployments had ids (no tag) is the default's.
     */
    @Test
    void twoDeploymentsOfOneAccountEachListAndTerminateOnlyTheirOwnClusterOfTheSameName() {
        TestAwsConfig config = TestAwsConfig.at(mock.endpoint());
        Ec2Provisioner teamB = new Ec2Provisioner(clients, new ImageResolver(clients, config), config,
                new S3OutputStore(clients, config, new S3Buckets(clients), new DeploymentId("team-b")),
                new S3ObjectStore(clients, config, new S3Buckets(clients)),
                new io.crossjobs.provisioner.aws.check.AccountCheck(clients, config), new DeploymentId("team-b"));
        ClusterKey key = cluster();

        CloudInstance oursNode = ec2.launch(spec(ec2, key, "echo from the default; sleep 60")).get(0);
        CloudInstance theirsNode = teamB.launch(spec(teamB, key, "echo from team-b; sleep 60")).get(0);
        String ours = oursNode.instanceId();
        String theirs = theirsNode.instanceId();
        String untagged = clients.ec2(REGION).runInstances(r -> r.imageId(new ImageResolver(clients, config)
                        .in(REGION).imageId()).instanceType("t3.micro").minCount(1).maxCount(1)
                .tagSpecifications(t -> t.resourceType("instance").tags(
                        software.amazon.awssdk.services.ec2.model.Tag.builder().key(CloudTags.MANAGED_BY).value("crossjobs").build(),
                        software.amazon.awssdk.services.ec2.model.Tag.builder().key(CloudTags.JOB_ID).value(key.jobId()).build(),
                        software.amazon.awssdk.services.ec2.model.Tag.builder().key(CloudTags.CLUSTER).value(key.clusterName()).build(),
                        software.amazon.awssdk.services.ec2.model.Tag.builder().key(CloudTags.ATTEMPT).value("2").build(),
                        software.amazon.awssdk.services.ec2.model.Tag.builder().key(CloudTags.NODE_RANK).value("1").build())))
                .join().instances().get(0).instanceId();

        assertTrue(!ours.equals(theirs), "each deployment launched an instance of its own");
        assertEquals("team-b", mock.inventoryOfJob("aws", key.jobId()).stream().filter(i -> i.id().equals(theirs))
                .findFirst().orElseThrow().tags().get(CloudTags.DEPLOYMENT));
        assertEquals(java.util.Set.of(ours, untagged), idsOf(ec2.listManaged(REGION), key));
        assertEquals(java.util.Set.of(theirs), idsOf(teamB.listManaged(REGION), key));
        assertEquals(1, teamB.launch(spec(teamB, key, "echo from team-b; sleep 60")).size(),
                "a replayed launch of team-b finds its own instance only");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals(List.of("from the default", "from team-b"),
                List.of(text(ec2.readOutput(oursNode, 0)).strip(), text(teamB.readOutput(theirsNode, 0)).strip())));

        assertEquals(1, teamB.terminate(REGION, key));
        teamB.deleteOutput(key);
        assertEquals("", text(teamB.readOutput(theirsNode, 0)));
        assertTrue(text(ec2.readOutput(oursNode, 0)).startsWith("from the default\n"), "the default's output stays");
        await().atMost(Duration.ofSeconds(20)).until(() -> idsOf(teamB.listManaged(REGION), key).isEmpty());
        assertEquals(java.util.Set.of(ours, untagged), idsOf(ec2.listManaged(REGION), key), "the default's live on");
        assertEquals(2, ec2.terminate(REGION, key));
        await().atMost(Duration.ofSeconds(20)).until(() -> idsOf(ec2.listManaged(REGION), key).isEmpty());
    }

    private static LaunchSpec spec(Ec2Provisioner provisioner, ClusterKey key, String run) {
        return new LaunchSpec(key, Placement.builder().cloud("aws").region(REGION).zone("us-east-2a")
                .instanceType("t3.micro").pricePerHour(0.01).build(), List.of(StartupScript.render(launch(key, 1, run), 0,
                ScriptOptions.defaults().withShipping(provisioner.outputShipping(key, REGION, 0, Duration.ofHours(1))))));
    }

    private static String text(NodeOutput output) {
        return new String(output.data(), StandardCharsets.UTF_8);
    }

    private static java.util.Set<String> idsOf(List<CloudInstance> listed, ClusterKey key) {
        return listed.stream().filter(n -> n.cluster().equals(key)).filter(n -> n.state().alive())
                .map(CloudInstance::instanceId).collect(java.util.stream.Collectors.toSet());
    }

    private static Optional<NodeState> stateOf(String instanceId) {
        return ec2.listManaged(REGION).stream().filter(n -> n.instanceId().equals(instanceId))
                .map(CloudInstance::state).findFirst();
    }

    /** What the node shipped to S3 from {@code offset} on. */
    private static String output(CloudInstance node, long offset) {
        NodeOutput out = ec2.readOutput(node, offset);
        assertEquals(offset, out.offset());
        return new String(out.data(), StandardCharsets.UTF_8);
    }

    private static ClusterKey cluster() {
        String job = "adapter-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 2, "cj-" + job + "-2");
    }

    private static LaunchCluster launch(ClusterKey key, int nodes, String run) {
        return new LaunchCluster(key.jobId(), key.attempt(), key.clusterName(), "task-" + key.jobId(),
                Placement.builder().cloud("aws").region(REGION).instanceType("t3.micro").pricePerHour(0.01)
                        .build(), nodes, Map.of(), null, run);
    }

    private static LaunchSpec spec(ClusterKey key, String zone, boolean spot, int nodes, String run) {
        LaunchCluster cmd = launch(key, nodes, run);
        return new LaunchSpec(key, Placement.builder().cloud("aws").region(REGION).zone(zone).instanceType("t3.micro")
                .spot(spot).pricePerHour(0.01).build(),
                IntStream.range(0, nodes).mapToObj(r -> StartupScript.render(cmd, r, ScriptOptions.defaults()
                        .withShipping(ec2.outputShipping(key, REGION, r, Duration.ofHours(1))))).toList());
    }
}

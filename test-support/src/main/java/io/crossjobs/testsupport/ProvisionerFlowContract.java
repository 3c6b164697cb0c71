package io.crossjobs.testsupport;

import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.CheckAccount;
import io.crossjobs.events.CheckAspect;
import io.crossjobs.events.CloudTags;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.ExitMarkers;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.LogChunk;
import io.crossjobs.events.OutputEnd;
import io.crossjobs.events.Placement;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.events.Topics;
import io.crossjobs.events.UserDataLimits;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every provisioner must do, as the controller sees it: commands on its {@code provision-commands.<cloud>}
 * topic (real Kafka), its real SDK against mock-cloud, and what comes back on provision-events and job-logs (the
 * output, then the exit that ends it).
 * Each adapter's {@code @QuarkusTest} extends this with its cloud's names and error codes.
 */
public abstract class ProvisionerFlowContract {

    /** The cloud under test: where to launch, and which of its error codes mean "no capacity" and "slow down". */
    public record CloudUnderTest(String cloud, String region, String zone, String instanceType,
                                    String capacityErrorCode, BlockScope capacityScope, String throttleErrorCode) { }

    protected abstract CloudUnderTest cloudUnderTest();

    /**
     * How to break this cloud's mock account for {@code crossjobs check}: a permission the provisioner needs to launch
     * (the cloud's own name), the quota metric of on-demand vCPUs for {@link CloudUnderTest#instanceType} in its
     * region (mock-cloud's {@code /mock/quotas} name), and a prerequisite as mock-cloud's account names it
     * ({@code default-vpc:<region>}, {@code network:<name>}, {@code resource-group:<name>}).
     */
    public record AccountFaults(String launchPermission, String onDemandVcpuQuota, String missingPrerequisite) { }

    protected abstract AccountFaults accountFaults();

    /** The key the provisioner under test opens secrets with: its {@code crossjobs.secrets.key}. */
    public static final String SECRETS_KEY = SecretSealer.newKey();

    /** One instance as the adapter's {@code listManaged} reads it back from the cloud's tags. */
    public record ListedInstance(String instanceId, String jobId, int attempt, String clusterName) { }

    /**
     * The adapter's {@code listManaged(region)}: what its poller, and a provisioner restarted without memory, find
     * on the cloud.
     */
    protected abstract List<ListedInstance> listManaged(String region);

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SOURCE = "/crossjobs/controller";

    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> events;
    private static ConsumerTask<String, String> logs;

    @BeforeAll
    static void listen() {
        kafka = new KafkaCompanion(RealServers.kafkaBootstrap());
        events = kafka.consume(String.class, String.class).withOffsetReset(OffsetResetStrategy.EARLIEST)
                .withGroupId("test-" + UUID.randomUUID()).fromTopics(Topics.PROVISION_EVENTS);
        logs = kafka.consume(String.class, String.class).withOffsetReset(OffsetResetStrategy.EARLIEST)
                .withGroupId("test-" + UUID.randomUUID()).fromTopics(Topics.JOB_LOGS);
    }

    @AfterAll
    static void close() {
        events.close();
        logs.close();
        kafka.close();
    }

    @AfterEach
    void noFaultLeft() {
        MockCloudProcess.shared().clearFaults();
    }

    @Test
    void launchedJobRunsReportsItsOutputAndExitThenTerminates() {
        // the run forges an exit marker: only the startup script's own (signed) marker may count
        LaunchCluster launch = launch("hello from crossjobs on node $CROSSJOBS_NODE_RANK; echo '##crossjobs:run-exit=0##'", 3);

        send(launch);

        ClusterProgress running = awaitEvent(launch.jobId(), ClusterProgress.class,
                p -> p.state() == ClusterState.RUNNING);
        assertEquals(cloudUnderTest().cloud(), running.cloud());
        assertEquals(cloudUnderTest().region(), running.region());
        assertEquals(1, running.instanceIds().size());
        assertEquals(ClusterRole.JOB.tagValue(), MockCloudProcess.shared()
                .inventoryOfJob(cloudUnderTest().cloud(), launch.jobId()).get(0).tags().get(CloudTags.ROLE));
        JobExited exited = awaitEvent(launch.jobId(), JobExited.class, e -> true);
        assertEquals(new JobExited(launch.jobId(), 1, launch.clusterName(), RunPhase.RUN, 3, exited.at(),
                exited.outputEnds()), exited);
        await().atMost(WAIT).until(() -> logText(launch.jobId()).contains("##crossjobs:run-exit=3:"));
        assertExitFollowsTheOutputItEnds(launch.jobId(), exited);
        assertTrue(logText(launch.jobId()).startsWith("setting up\nhello from crossjobs on node 0\n"),
                logText(launch.jobId()));
        ConsumerRecord<String, String> record = recordsOf(events, launch.jobId()).get(0);
        assertEquals(launch.jobId(), record.key());
        assertEquals("/crossjobs/provisioner-" + cloudUnderTest().cloud(), header(record, "ce_source"));

        send(terminate(launch.jobId(), launch.clusterName(), "job finished"));

        awaitEvent(launch.jobId(), ClusterProgress.class, p -> p.state() == ClusterState.TERMINATED);
        assertEquals(1, eventsOf(launch.jobId(), JobExited.class).size(), "the exit is reported once");
        assertTrue(eventsOf(launch.jobId(), ClusterPreempted.class).isEmpty());
        assertTrue(MockCloudProcess.shared().inventoryOfJob(cloudUnderTest().cloud(), launch.jobId()).stream()
                .allMatch(i -> i.state().equals("terminated") || i.state().equals("shutting-down")));
    }

    /**
     * Output travels through the cloud's object storage: 10 MB printed at once and a line after a pause arrive
     * byte for byte and in order, then the exit code; once the cluster is gone, so is what it shipped.
     */
    @Test
    void tenMegabytesAndALateLineArriveWholeThenTheExitCodeAndTheShippedObjectsGo() throws Exception {
        String run = "echo bulk; seq 1 1400000; sleep 4; echo late line; exit 5";
        LaunchCluster launch = launch("bulk-" + UUID.randomUUID().toString().substring(0, 8), run);
        StringBuilder printed = new StringBuilder("setting up\nbulk\n");
        for (int i = 1; i <= 1_400_000; i++) printed.append(i).append('\n');
        printed.append("late line\n");

        send(launch);

        JobExited exited = await().atMost(Duration.ofSeconds(90)).until(() -> eventsOf(launch.jobId(), JobExited.class)
                .stream().findFirst().orElse(null), Objects::nonNull);
        assertEquals(5, exited.exitCode());
        await().atMost(WAIT).until(() -> logText(launch.jobId()).contains("##crossjobs:run-exit=5:"));
        assertExitFollowsTheOutputItEnds(launch.jobId(), exited);
        String logged = ExitMarkers.strip(logText(launch.jobId()));
        byte[] expected = printed.toString().getBytes(StandardCharsets.UTF_8);
        byte[] got = logged.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected.length, got.length, "byte count");
        assertEquals(sha256(expected), sha256(got), "checksum");
        assertFalse(MockCloudProcess.shared().objectKeys(cloudUnderTest().cloud()).stream()
                .noneMatch(k -> k.contains(launch.jobId())), "shipped through the cloud's object storage");

        send(terminate(launch.jobId(), launch.clusterName(), "job finished"));

        awaitEvent(launch.jobId(), ClusterProgress.class, p -> p.state() == ClusterState.TERMINATED);
        await().atMost(WAIT).until(() -> MockCloudProcess.shared().objectKeys(cloudUnderTest().cloud()).stream()
                .noneMatch(k -> k.contains(launch.jobId())));
    }

    /**
     * A task's secrets reach setup and run, yet are neither in the user data (readable by anyone allowed to describe
     * the instance) nor in the output; the node fetched them from object storage and deleted them there.
     */
    @Test
    void secretsReachTheRunFromObjectStorageAndAreNeitherInTheUserDataNorLeftStored() throws Exception {
        String secret = "s3cr3t-" + UUID.randomUUID();
        String job = "secret-" + UUID.randomUUID().toString().substring(0, 8);
        String run = "[ \"$(printf %s \"$API_TOKEN\" | sha256sum | cut -d' ' -f1)\" = "
                + sha256(secret.getBytes(StandardCharsets.UTF_8)) + " ] && echo token-ok; echo \"leak? $API_TOKEN\"";
        LaunchCluster launch = new LaunchCluster(job, 1, "cj-" + job + "-1", "task-" + job,
                Placement.builder().cloud(cloudUnderTest().cloud()).region(cloudUnderTest().region())
                        .zone(cloudUnderTest().zone()).instanceType(cloudUnderTest().instanceType()).spot(true)
                        .pricePerHour(0.004).build(), 1, Map.of(),
                Map.of("API_TOKEN", SecretSealer.fromBase64Key(SECRETS_KEY).seal(secret)), "echo setting up", run);

        send(launch);

        ClusterProgress running = awaitEvent(job, ClusterProgress.class, p -> p.state() == ClusterState.RUNNING);
        String userData = MockCloudProcess.shared().userData(running.instanceIds().get(0));
        assertTrue(userData.contains("crossjobs_fetch_secrets"), "the node fetches its secrets: " + userData);
        assertFalse(userData.contains(secret), "the secret is in the user data");
        assertEquals(0, awaitEvent(job, JobExited.class, e -> true).exitCode(), () -> logText(job));
        await().atMost(WAIT).until(() -> logText(job).contains("##crossjobs:run-exit=0:"));
        assertTrue(logText(job).contains("token-ok\n"), logText(job));
        assertFalse(logText(job).contains(secret), "the output is masked: " + logText(job));
        assertTrue(MockCloudProcess.shared().objectKeys(cloudUnderTest().cloud()).stream()
                .noneMatch(k -> k.contains(job) && k.contains("secrets")), "the node deleted its stored secrets");

        send(terminate(job, launch.clusterName(), "job finished"));
        awaitEvent(job, ClusterProgress.class, p -> p.state() == ClusterState.TERMINATED);
    }

    /** {@code crossjobs check} on a healthy mock account: every aspect looked at, every one ready. */
    @Test
    void aHealthyAccountIsReadyInEveryAspect() {
        AccountChecked checked = check();

        assertEquals(cloudUnderTest().cloud(), checked.cloud());
        assertEquals(List.of(CheckAspect.values()), checked.findings().stream().map(AccountChecked.Finding::aspect)
                .toList(), "each aspect once, in order");
        assertTrue(checked.ready(), () -> "not ready: " + checked.findings());
        assertTrue(checked.findings().stream().allMatch(f -> f.fix() == null && !f.detail().isBlank()),
                () -> checked.findings().toString());
    }

    /** Each way an account can be broken is named, with a fix, by the aspect it belongs to, and only by that one. */
    @Test
    void eachBrokenAccountIsNamedByItsAspectWithAFix() {
        AccountFaults faults = accountFaults();
        String cloud = cloudUnderTest().cloud();
        MockCloudProcess mock = MockCloudProcess.shared();
        try {
            mock.breakAccount(cloud, true, List.of(), List.of());
            assertOnlyFailing(check(), CheckAspect.CREDENTIALS, null);

            mock.breakAccount(cloud, false, List.of(faults.launchPermission()), List.of());
            assertOnlyFailing(check(), CheckAspect.PERMISSIONS, faults.launchPermission());

            mock.breakAccount(cloud, false, List.of(), List.of(faults.missingPrerequisite()));
            assertOnlyFailing(check(), CheckAspect.NETWORK, null);

            mock.healAccounts();
            mock.setQuota(cloud, cloudUnderTest().region(), faults.onDemandVcpuQuota(), 0);
            assertOnlyFailing(check(), CheckAspect.QUOTAS, cloudUnderTest().region());
        } finally {
            mock.healAccounts();
            mock.resetQuotas();
        }
    }

    private static void assertOnlyFailing(AccountChecked checked, CheckAspect aspect, String named) {
        List<AccountChecked.Finding> failed = checked.findings().stream().filter(f -> !f.ok()).toList();
        // a revoked key fails every later call too: those aspects may fail as well, but credentials come first
        AccountChecked.Finding first = failed.isEmpty() ? null : failed.get(0);
        assertTrue(first != null && first.aspect() == aspect, () -> aspect + " should fail first: " + checked.findings());
        if (aspect != CheckAspect.CREDENTIALS) {
            assertEquals(1, failed.size(), () -> "only " + aspect + " fails: " + checked.findings());
        }
        assertTrue(first.fix() != null && !first.fix().isBlank(), () -> "a fix for " + first);
        if (named != null) assertTrue(first.detail().contains(named), () -> first.detail() + " names " + named);
    }

    private AccountChecked check() {
        String checkId = CheckAccount.ID_PREFIX + UUID.randomUUID();
        send(new CheckAccount(checkId, cloudUnderTest().cloud()));
        return await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf(checkId, AccountChecked.class).stream()
                .findFirst().orElse(null), Objects::nonNull);
    }

    private static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSameLaunchDeliveredTwiceCreatesOneInstanceAndJunkIsParked() {
        LaunchCluster launch = launch("sleep 30", 0);
        ConsumerTask<String, String> parked = kafka.consume(String.class, String.class)
                .withOffsetReset(OffsetResetStrategy.EARLIEST).withGroupId("test-" + UUID.randomUUID())
                .fromTopics(Topics.PARKED);
        kafka.produce(String.class, String.class).fromRecords(
                new ProducerRecord<>(Topics.provisionCommands(cloudUnderTest().cloud()), launch.jobId(), "not a cloud event"))
                .awaitCompletion(WAIT);

        send(launch);
        send(launch);

        await().atMost(WAIT).until(() -> eventsOf(launch.jobId(), ClusterProgress.class).stream()
                .filter(p -> p.state() == ClusterState.PROVISIONING || p.state() == ClusterState.RUNNING)
                .count() >= 2);
        assertEquals(1, MockCloudProcess.shared().inventoryOfJob(cloudUnderTest().cloud(), launch.jobId()).size());
        // the junk is set aside with its key, where it came from and why, and the commands after it were carried out
        await().atMost(WAIT).until(() -> parked.getRecords().stream().anyMatch(r -> launch.jobId().equals(r.key())));
        ConsumerRecord<String, String> junk = parked.getRecords().stream()
                .filter(r -> launch.jobId().equals(r.key())).findFirst().orElseThrow();
        parked.close();
        assertEquals("not a cloud event", junk.value());
        assertEquals(Topics.provisionCommands(cloudUnderTest().cloud()), header(junk, "dead-letter-topic"));
        assertTrue(header(junk, "dead-letter-reason").contains("unreadable command record"),
                header(junk, "dead-letter-reason"));

        send(terminate(launch.jobId(), launch.clusterName(), "cancelled"));
        awaitEvent(launch.jobId(), ClusterProgress.class, p -> p.state() == ClusterState.TERMINATED);
    }

    @Test
    void refusedLaunchIsReportedClassified() {
        MockCloudProcess.shared().fault(cloudUnderTest().cloud(), cloudUnderTest().region(), null, null, cloudUnderTest().capacityErrorCode(), 1);
        LaunchCluster launch = launch("true", 0);

        send(launch);

        LaunchFailed failed = awaitEvent(launch.jobId(), LaunchFailed.class, f -> true);
        assertEquals(ErrorClass.CAPACITY, failed.errorClass());
        assertEquals(cloudUnderTest().capacityScope(), failed.scope());
        assertEquals(cloudUnderTest().capacityErrorCode(), failed.errorCode());
        assertEquals(cloudUnderTest().zone(), failed.zone());
        assertTrue(MockCloudProcess.shared().inventoryOfJob(cloudUnderTest().cloud(), launch.jobId()).isEmpty());
    }

    @Test
    void aStartupScriptOverTheCloudsUserDataLimitIsRefusedBeforeAnyCloudCall() {
        int limit = UserDataLimits.of(cloudUnderTest().cloud()).orElseThrow();
        LaunchCluster launch = launch("x".repeat(limit), 0);

        send(launch);

        LaunchFailed failed = awaitEvent(launch.jobId(), LaunchFailed.class, f -> true);
        assertEquals(ErrorClass.UNSUPPORTED, failed.errorClass());
        assertEquals("UserDataTooLarge", failed.errorCode());
        assertTrue(failed.message().contains(Integer.toString(limit)), failed.message());
        assertTrue(MockCloudProcess.shared().inventoryOfJob(cloudUnderTest().cloud(), launch.jobId()).isEmpty());
    }

    @Test
    void throttledLaunchSlowsDownInsteadOfFailing() {
        MockCloudProcess.shared().fault(cloudUnderTest().cloud(), cloudUnderTest().region(), null, null, cloudUnderTest().throttleErrorCode(), 2);
        LaunchCluster launch = launch("true", 0);

        send(launch);

        awaitEvent(launch.jobId(), ClusterProgress.class, p -> p.state() == ClusterState.PROVISIONING
                || p.state() == ClusterState.RUNNING);
        assertTrue(eventsOf(launch.jobId(), LaunchFailed.class).isEmpty());
        assertEquals(1, MockCloudProcess.shared().inventoryOfJob(cloudUnderTest().cloud(), launch.jobId()).size());
        send(terminate(launch.jobId(), launch.clusterName(), "done"));
    }

    @Test
    void preemptedClusterIsReported() {
        LaunchCluster launch = launch("sleep 60", 0);
        send(launch);
        awaitEvent(launch.jobId(), ClusterProgress.class, p -> p.state() == ClusterState.RUNNING);
        // the exit marker comes from the poller's console read, so the poller has seen the VM alive: a VM that
        // vanishes before any poll listed it (Azure deletes evicted spot VMs at once) is dropped, not preempted
        awaitEvent(launch.jobId(), JobExited.class, e -> true);

        MockCloudProcess.shared().preempt(MockCloudProcess.shared().inventoryOfJob(cloudUnderTest().cloud(), launch.jobId()).get(0).id());

        awaitEvent(launch.jobId(), ClusterProgress.class, p -> p.state() == ClusterState.PREEMPTED);
        ClusterPreempted preempted = awaitEvent(launch.jobId(), ClusterPreempted.class, p -> true);
        assertEquals(cloudUnderTest().region(), preempted.region());
        assertFalse(eventsOf(launch.jobId(), ClusterProgress.class).stream()
                .anyMatch(p -> p.state() == ClusterState.TERMINATED));
    }

    @Test
    void aControllersClusterIsTaggedAsSuchAndOtherwiseHandledLikeAJobs() {
        // the jobs controller's VM is launched under the controller's identity instead of a job id
        String controller = ClusterRole.CONTROLLER_ID_PREFIX + UUID.randomUUID().toString().substring(0, 8);
        LaunchCluster launch = launch(controller, "jobs controller up; sleep 60", 0);
        String cloud = cloudUnderTest().cloud();
        String region = cloudUnderTest().region();

        send(launch);

        ClusterProgress running = awaitEvent(controller, ClusterProgress.class, p -> p.state() == ClusterState.RUNNING);
        assertEquals(launch.clusterName(), running.clusterName());
        List<MockCloudProcess.Item> instances = MockCloudProcess.shared().inventoryOfJob(cloud, controller);
        assertEquals(1, instances.size(), "the job id tag holds the controller's identity as it is");
        assertEquals(ClusterRole.CONTROLLER.tagValue(), instances.get(0).tags().get(CloudTags.ROLE));
        await().atMost(WAIT).until(() -> logText(controller).contains("jobs controller up\n"));
        ListedInstance listed = await().atMost(WAIT).until(() -> listManaged(region).stream()
                .filter(i -> controller.equals(i.jobId())).findFirst().orElse(null), Objects::nonNull);
        assertEquals(new ListedInstance(listed.instanceId(), controller, 1, launch.clusterName()), listed);

        send(TerminateCluster.of(controller).attempt(1).clusterName(launch.clusterName()).cloud(cloud).region(region)
                .reason("controller moved").build());

        awaitEvent(controller, ClusterProgress.class, p -> p.state() == ClusterState.TERMINATED);
        assertTrue(eventsOf(controller, ClusterPreempted.class).isEmpty());
        assertTrue(eventsOf(controller, LaunchFailed.class).isEmpty());
        assertTrue(MockCloudProcess.shared().inventoryOfJob(cloud, controller).stream()
                .allMatch(i -> i.state().equals("terminated") || i.state().equals("shutting-down")));
    }

    /**
     * On job-logs the exit comes behind the chunks it ends: those before it reach exactly the end it announces for each
     * node (the head node's includes its exit marker), and none of the head node's follows it.
     */
    private static void assertExitFollowsTheOutputItEnds(String jobId, JobExited onProvisionEvents) {
        List<JobEvent> onJobLogs = await().atMost(WAIT).until(() -> recordsOf(logs, jobId).stream()
                .map(ProvisionerFlowContract::decode).toList(), l -> l.stream().anyMatch(JobExited.class::isInstance));
        int exitAt = onJobLogs.indexOf(onJobLogs.stream().filter(JobExited.class::isInstance).findFirst().orElseThrow());
        JobExited exited = (JobExited) onJobLogs.get(exitAt);
        assertEquals(onProvisionEvents.outputEnds(), exited.outputEnds(), "the same ends on both topics");
        assertFalse(exited.outputEnds().isEmpty(), "the head node's end is announced");
        for (OutputEnd end : exited.outputEnds()) {
            long shippedBefore = onJobLogs.subList(0, exitAt).stream().filter(LogChunk.class::isInstance)
                    .map(LogChunk.class::cast).filter(c -> c.nodeRank() == end.nodeRank())
                    .mapToLong(c -> c.offset() + c.text().getBytes(StandardCharsets.UTF_8).length).max().orElse(0);
            assertEquals(end.endOffset(), shippedBefore, "node " + end.nodeRank() + "'s chunks before the exit");
        }
        assertTrue(onJobLogs.subList(exitAt, onJobLogs.size()).stream().noneMatch(e -> e instanceof LogChunk c
                && c.nodeRank() == 0), "no output of the head node after its exit");
    }

    private LaunchCluster launch(String runLine, int exitCode) {
        return launch("flow-" + UUID.randomUUID().toString().substring(0, 8), runLine, exitCode);
    }

    private LaunchCluster launch(String job, String run) {
        return new LaunchCluster(job, 1, "cj-" + job + "-1", "task-" + job,
                Placement.builder().cloud(cloudUnderTest().cloud()).region(cloudUnderTest().region())
                        .zone(cloudUnderTest().zone()).instanceType(cloudUnderTest().instanceType()).spot(true)
                        .pricePerHour(0.004).build(), 1, Map.of(), "echo setting up", run);
    }

    private LaunchCluster launch(String job, String runLine, int exitCode) {
        return new LaunchCluster(job, 1, "cj-" + job + "-1", "task-" + job,
                Placement.builder().cloud(cloudUnderTest().cloud()).region(cloudUnderTest().region())
                        .zone(cloudUnderTest().zone()).instanceType(cloudUnderTest().instanceType()).spot(true)
                        .pricePerHour(0.004).build(), 1,
                Map.of("GREETING", "hello"), "echo setting up", "echo " + runLine + "; exit " + exitCode);
    }

    private void send(JobEvent command) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.provisionCommands(cloudUnderTest().cloud()),
                command.jobId(), EventCodec.encode(command));
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", UUID.randomUUID().toString());
        header(record, "ce_type", EventType.of(command).ceType());
        header(record, "ce_source", SOURCE);
        header(record, "ce_subject", command.jobId());
        header(record, "ce_time", Instant.now().toString());
        header(record, "content-type", "application/json");
        kafka.produce(String.class, String.class).fromRecords(record).awaitCompletion(WAIT);
    }

    private static <T extends JobEvent> T awaitEvent(String jobId, Class<T> type, Predicate<T> matching) {
        return await().atMost(WAIT).until(
                () -> eventsOf(jobId, type).stream().filter(matching).findFirst().orElse(null), Objects::nonNull);
    }

    private static <T extends JobEvent> List<T> eventsOf(String jobId, Class<T> type) {
        return recordsOf(events, jobId).stream().map(ProvisionerFlowContract::decode).filter(type::isInstance)
                .map(type::cast).toList();
    }

    private static String logText(String jobId) {
        StringBuilder text = new StringBuilder();
        recordsOf(logs, jobId).stream().map(ProvisionerFlowContract::decode).filter(LogChunk.class::isInstance)
                .map(LogChunk.class::cast)
                .sorted(java.util.Comparator.comparingLong(LogChunk::offset))
                .forEach(c -> text.append(c.text()));
        return text.toString();
    }

    private static List<ConsumerRecord<String, String>> recordsOf(ConsumerTask<String, String> task, String jobId) {
        return task.getRecords().stream().filter(r -> jobId.equals(r.key())).toList();
    }

    private static JobEvent decode(ConsumerRecord<String, String> r) {
        return EventCodec.decode(header(r, "ce_type"), r.value());
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void header(ProducerRecord<String, String> r, String name, String value) {
        r.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The teardown of attempt 1 of {@code jobId}'s cluster on the cloud under test. */
    private TerminateCluster terminate(String jobId, String clusterName, String reason) {
        return TerminateCluster.of(jobId).attempt(1).clusterName(clusterName).cloud(cloudUnderTest().cloud())
                .region(cloudUnderTest().region()).reason(reason).build();
    }
}

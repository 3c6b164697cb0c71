package io.crossjobs.controller;

import io.crossjobs.controller.heartbeat.ControllerHeartbeats;
import io.crossjobs.controller.heartbeat.ControllerIdentity;
import io.crossjobs.catalog.BlockedScope;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.OutputHold;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.controller.repository.OutputHoldStore;
import io.crossjobs.controller.service.JobStateMachine;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.ClusterFound;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.ControllerHeartbeat;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.JobRecovery;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.OutputEnd;
import io.crossjobs.events.OutputStored;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Accelerator;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.Resources;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.events.Topics;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller as a black box on the real Kafka and PostgreSQL: CloudEvents in on job-requests and
 * provision-events, commands out on provision-commands.aws and status changes on job-status (and, to see that an
 * exit is held, the job's row and output hold read from the database).
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class ControllerFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String COMMANDS = Topics.provisionCommands("aws");
    private static final Resources M6I_US_EAST_1 = Resources.builder().cloud("aws").region("us-east-1")
            .instanceType("m6i.large").build();

    @Inject
    ControllerHeartbeats heartbeats;
    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    @Inject
    io.crossjobs.controller.repository.LifecycleStore lifecycleStore;
    @Inject
    io.crossjobs.service.messaging.RetentionPurge purge;
    @Inject
    OutputHoldStore holds;

    private static KafkaCompanion companion;
    private static ConsumerTask<String, String> commands;
    private static ConsumerTask<String, String> statuses;

    @BeforeEach
    void connect() {
        if (companion != null) return;
        companion = new KafkaCompanion(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        commands = companion.consumeStrings().fromTopics(COMMANDS);
        statuses = companion.consumeStrings().fromTopics(Topics.JOB_STATUS);
    }

    @AfterAll
    static void disconnect() {
        if (commands != null) commands.close();
        if (statuses != null) statuses.close();
        if (companion != null) companion.close();
        companion = null;
    }

    @Test
    void jobLaunchesRunsAndSucceedsOnceThoughItsExitArrivesThreeTimes() {
        String job = newJobId();
        submit(job);

        LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == 1);
        assertEquals("cj-" + job + "-1", launch.clusterName());
        assertEquals("crossjobs-" + job, launch.taskId());
        assertEquals("aws", launch.placement().cloud());
        assertEquals("us-east-1", launch.placement().region());
        assertEquals("us-east-1a", launch.placement().zone());
        assertEquals("m6i.large", launch.placement().instanceType());
        assertEquals("echo run", launch.run());
        JobStatusChanged starting = awaitStatus(job, JobStatus.STARTING);
        assertEquals(JobStatus.PENDING, starting.from());
        assertEquals(1, starting.attempt());
        assertEquals("cheapest of 3 candidates: aws/us-east-1/us-east-1a m6i.large on-demand $0.096/h", starting.reason());

        provisionEvent(ClusterProgress.of(job).attempt(1).clusterName(launch.clusterName())
                .state(ClusterState.RUNNING).cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceIds(List.of("i-0abc")).at(Instant.now()).build());
        assertEquals(JobStatus.STARTING, awaitStatus(job, JobStatus.RUNNING).from());

        JobExited exit = new JobExited(job, 1, launch.clusterName(), RunPhase.RUN, 0, Instant.now());
        String exitId = UUID.randomUUID().toString();
        send(Topics.PROVISION_EVENTS, exit, exitId);
        JobStatusChanged succeeded = awaitStatus(job, JobStatus.SUCCEEDED);
        assertEquals(0, succeeded.exitCode());
        awaitCommand(job, TerminateCluster.class, t -> t.attempt() == 1);

        send(Topics.PROVISION_EVENTS, exit, exitId);                        // redelivered: same event id
        send(Topics.PROVISION_EVENTS, exit, UUID.randomUUID().toString()); // re-sent: a new event id
        awaitMarkerBehind(job);

        assertEquals(1, statusesOf(job).stream().filter(s -> s.to() == JobStatus.SUCCEEDED).count());
        assertEquals(1, commandsOf(job).stream().filter(c -> c instanceof TerminateCluster).count());
        assertEquals(List.of(JobStatus.PENDING, JobStatus.STARTING, JobStatus.RUNNING, JobStatus.SUCCEEDED),
                statusesOf(job).stream().map(JobStatusChanged::to).toList());
    }

    /**
     * The race of issue 18: the exit reaches the controller apart from the output. An exit announcing its output is
     * held — the cluster goes at once, no terminal status — until job-api's OutputStored; the cluster's end meanwhile
     * is no loss to recover from.
     */
    @Test
    void anExitWaitsForItsOutputStoredBeforeTheJobEndsAndItsClusterGoingIsNoLoss() throws Exception {
        String job = newJobId();
        submit(job);
        LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> true);
        runToRunning(job, launch);

        provisionEvent(announcingExit(launch, 0));

        // the terminate command is written in the transaction that holds the exit: by now the job is decided on
        awaitCommand(job, TerminateCluster.class, t -> t.attempt() == 1);
        assertEquals(JobStatus.RUNNING, findJob(job).status());
        assertTrue(findHold(job, 1).exitHeld());
        provisionEvent(ClusterProgress.of(job).attempt(1).clusterName(launch.clusterName())
                .state(ClusterState.TERMINATED).cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceIds(List.of()).at(Instant.now()).build());

        send(Topics.JOB_REQUESTS, new OutputStored(job, 1, Instant.now()), UUID.randomUUID().toString());

        JobStatusChanged succeeded = awaitStatus(job, JobStatus.SUCCEEDED);
        assertEquals("run exited with code 0", succeeded.reason());
        awaitMarkerBehind(job);
        assertEquals(List.of(JobStatus.PENDING, JobStatus.STARTING, JobStatus.RUNNING, JobStatus.SUCCEEDED),
                statusesOf(job).stream().map(JobStatusChanged::to).toList(), "no recovery, no second end");
        assertEquals(1, commandsOf(job).stream().filter(c -> c instanceof TerminateCluster).count());
        assertFalse(findHold(job, 1).exitHeld(), "the hold is gone with the job");
    }

    @Test
    void outputStoredBeforeItsExitLetsTheExitEndTheJobWithoutWaiting() throws Exception {
        String job = newJobId();
        submit(job);
        LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> true);
        runToRunning(job, launch);

        send(Topics.JOB_REQUESTS, new OutputStored(job, 1, Instant.now()), UUID.randomUUID().toString());
        await().atMost(WAIT).until(() -> findHold(job, 1).outputStored());
        provisionEvent(announcingExit(launch, 4));

        JobStatusChanged failed = awaitStatus(job, JobStatus.FAILED);
        assertEquals("run exited with code 4", failed.reason(), "not ended by the wait's bound");
        assertEquals(4, failed.exitCode());
    }

    /** The stated fallback: no OutputStored within crossjobs.controller.output-wait (2 s in tests). */
    @Test
    void withoutOutputStoredTheJobEndsWhenTheWaitIsOverSayingItsOutputMayBeIncomplete() {
        String job = newJobId();
        submit(job);
        LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> true);
        runToRunning(job, launch);

        provisionEvent(announcingExit(launch, 0));

        JobStatusChanged succeeded = awaitStatus(job, JobStatus.SUCCEEDED);
        assertEquals("run exited with code 0; its output was not confirmed stored within 2s, so it may be incomplete",
                succeeded.reason());
        assertEquals(1, commandsOf(job).stream().filter(c -> c instanceof TerminateCluster).count());
    }

    @Test
    void anEventNobodyCanReadIsParkedItsJobFailsAsControllerErrorAndTheLineGoesOn() {
        String job = newJobId();
        submit(job);
        LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == 1);
        provisionEvent(ClusterProgress.of(job).attempt(1).clusterName(launch.clusterName())
                .state(ClusterState.RUNNING).cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceIds(List.of("i-0abc")).at(Instant.now()).build());
        awaitStatus(job, JobStatus.RUNNING);
        ConsumerTask<String, String> parked = companion.consumeStrings().withGroupId("test-" + UUID.randomUUID())
                .withOffsetReset(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST)
                .fromTopics(Topics.PARKED);

        // a JobExited whose data is not JSON: it cannot be read, however often it is tried
        ProducerRecord<String, String> poison = new ProducerRecord<>(Topics.PROVISION_EVENTS, job, "{exit code 0");
        poison.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                .add("ce_type", bytes(EventType.JOB_EXITED.ceType())).add("ce_source", bytes("/crossjobs/test"));
        companion.produceStrings().fromRecords(poison).awaitCompletion(WAIT);

        JobStatusChanged failed = awaitStatus(job, JobStatus.FAILED_CONTROLLER);
        assertEquals(JobStatus.RUNNING, failed.from());
        assertEquals(io.crossjobs.events.FailureReason.CONTROLLER_ERROR, failed.failureReason());
        assertTrue(failed.reason().contains(EventType.JOB_EXITED.ceType()), failed.reason());
        assertTrue(failed.reason().contains("provision-events"), failed.reason());
        TerminateCluster terminate = awaitCommand(job, TerminateCluster.class, t -> t.attempt() == 1);
        assertEquals(launch.clusterName(), terminate.clusterName());
        ConsumerRecord<String, String> record = await().atMost(WAIT).until(() -> parked.getRecords().stream()
                .filter(r -> job.equals(r.key())).findFirst(), Optional::isPresent).orElseThrow();
        parked.close();
        assertEquals("{exit code 0", record.value());
        assertTrue(KafkaCompanion.getHeader(record.headers(), "dead-letter-reason").contains("unreadable record"));

        // the channel goes on: the next job runs as usual
        String next = newJobId();
        submit(next);
        awaitCommand(next, LaunchCluster.class, c -> c.attempt() == 1);
    }

    @Test
    void nonZeroExitFailsTheJobWithItsExitCode() {
        String job = newJobId();
        submit(job);
        LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> true);
        provisionEvent(ClusterProgress.of(job).attempt(1).clusterName(launch.clusterName())
                .state(ClusterState.RUNNING).cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceIds(List.of("i-0abc")).at(Instant.now()).build());
        awaitStatus(job, JobStatus.RUNNING);

        provisionEvent(new JobExited(job, 1, launch.clusterName(), RunPhase.RUN, 3, Instant.now()));

        JobStatusChanged failed = awaitStatus(job, JobStatus.FAILED);
        assertEquals(3, failed.exitCode());
        assertEquals(FailureReason.USER_CODE_FAILED, failed.failureReason());
        assertEquals("run exited with code 3", failed.reason());
        awaitCommand(job, TerminateCluster.class, t -> t.attempt() == 1);
    }

    @Test
    void capacityFailureInOneZoneRelaunchesInAnother() {
        String job = newJobId();
        submit(job);
        LaunchCluster first = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == 1);

        provisionEvent(insufficientCapacity(first));

        LaunchCluster second = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == 2);
        assertEquals("cj-" + job + "-2", second.clusterName());
        assertEquals(first.taskId(), second.taskId());
        assertEquals("us-east-1", second.placement().region());
        assertNotEquals(first.placement().zone(), second.placement().zone());
        assertEquals(first.run(), second.run());
        assertEquals(first.envs(), second.envs());
        JobStatusChanged backoff = awaitStatus(job, s -> s.from() == JobStatus.STARTING && s.to() == JobStatus.PENDING);
        assertTrue(backoff.reason().contains("CAPACITY InsufficientInstanceCapacity"), backoff.reason());
        JobStatusChanged relaunch = awaitStatus(job, s -> s.attempt() == 2);
        assertEquals(JobStatus.PENDING, relaunch.from());
        assertEquals(JobStatus.STARTING, relaunch.to());
        assertEquals(second.placement(), relaunch.placement());
        awaitCommand(job, TerminateCluster.class, t -> t.attempt() == 1);   // whatever the failed launch left

        // the blocklist is kept in the job's row: the third attempt avoids both zones
        provisionEvent(insufficientCapacity(second));
        LaunchCluster third = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == 3);
        assertEquals("us-east-1c", third.placement().zone());
    }

    @Test
    void inboxIdsOlderThanTheirRetentionArePurgedAndRecentOnesKept() throws Exception {
        Instant now = Instant.now();
        String old = "purge-old-" + UUID.randomUUID();
        String recent = "purge-recent-" + UUID.randomUUID();
        lifecycleStore.inTransaction(conn -> lifecycleStore.recordDelivery(conn, old, "t", "j", now.minus(Duration.ofDays(9)))
                .chain(() -> lifecycleStore.recordDelivery(conn, recent, "t", "j", now.minus(Duration.ofDays(7)))))
                .await().atMost(WAIT);

        purge.purgeAt(now).await().atMost(WAIT);

        assertFalse(inInbox(old));
        assertTrue(inInbox(recent));
    }

    @Test
    void staleTransitionsChangeNothing() throws Exception {
        String job = newJobId();
        submit(job);
        awaitStatus(job, JobStatus.STARTING);
        ManagedJob current = findJob(job);
        ManagedJob otherAttempt = current.with(b -> b.attempt = 7);
        ManagedJob stillPending = current.with(b -> {
            b.status = JobStatus.PENDING;
            b.attempt = 0;
        });

        assertFalse(applyAlone(JobStateMachine.markRunning(otherAttempt, List.of(), "stale", Instant.now())));
        assertFalse(applyAlone(JobStateMachine.startLaunch(stillPending, current.placement(), "stale", Instant.now())));

        ManagedJob after = findJob(job);
        assertEquals(JobStatus.STARTING, after.status());
        assertEquals(1, after.attempt());
        assertEquals(current.placement(), after.placement());
    }

    @Test
    void readinessIsUpWithKafkaAndTheDatabase() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void cancelWhileStartingTerminatesTheClusterThenCancels() {
        String job = newJobId();
        submit(job);
        LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> true);
        // a record that is no CloudEvent, of another job on the same partition, is parked, not a block before it
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.JOB_REQUESTS, jobIdOnSamePartitionAs(job),
                "not an event")).awaitCompletion(WAIT);

        send(Topics.JOB_REQUESTS, new CancelRequested(job, "alice", Instant.now()), UUID.randomUUID().toString());

        JobStatusChanged cancelling = awaitStatus(job, JobStatus.CANCELLING);
        assertEquals(JobStatus.STARTING, cancelling.from());
        TerminateCluster terminate = awaitCommand(job, TerminateCluster.class, t -> true);
        assertEquals(launch.clusterName(), terminate.clusterName());

        provisionEvent(ClusterProgress.of(job).attempt(1).clusterName(launch.clusterName())
                .state(ClusterState.TERMINATED).cloud("aws").region("us-east-1").zone(launch.placement().zone())
                .instanceIds(List.of()).at(Instant.now()).build());

        assertEquals(JobStatus.CANCELLING, awaitStatus(job, JobStatus.CANCELLED).from());
    }

    @Test
    void aRunThatExitsSevenWithTwoRestartsRunsThreeTimesThenFails() {
        String job = newJobId();
        Resources restartTwice = Resources.builder().cloud("aws").region("us-east-1").instanceType("m6i.large")
                .jobRecovery(new JobRecovery(null, 2, null)).build();
        submit(job, List.of(new TaskSpec("flaky", restartTwice, 1, Map.of(), null, "exit 7")), null);

        for (int attempt = 1; attempt <= 3; attempt++) {
            int a = attempt;
            LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == a);
            assertEquals("crossjobs-" + job, launch.taskId(), "the same task id on every run");
            provisionEvent(ClusterProgress.of(job).attempt(a).clusterName(launch.clusterName())
                    .state(ClusterState.RUNNING).cloud("aws").region("us-east-1").zone(launch.placement().zone())
                    .instanceIds(List.of("i-" + a)).at(Instant.now()).build());
            awaitStatus(job, s -> s.to() == JobStatus.RUNNING && s.attempt() == a);
            provisionEvent(new JobExited(job, a, launch.clusterName(), RunPhase.RUN, 7, Instant.now()));
        }

        JobStatusChanged failed = awaitStatus(job, JobStatus.FAILED);
        assertEquals(7, failed.exitCode());
        assertEquals(2, failed.restartCount());
        assertEquals(3, failed.attempt());
        JobStatusChanged restart = awaitStatus(job, s -> s.to() == JobStatus.RECOVERING && s.restartCount() == 1);
        assertTrue(restart.reason().contains("restart 1 of 2"), restart.reason());
        awaitCommand(job, TerminateCluster.class, t -> t.attempt() == 3);
    }

    @Test
    void aPipelineRunsItsTasksInOrderEachOnItsOwnCluster() {
        String job = newJobId();
        submit(job, List.of(new TaskSpec("prep", M6I_US_EAST_1, 1, Map.of(), null, "echo prep"),
                new TaskSpec("train", M6I_US_EAST_1, 1, Map.of(), null, "echo train")), null);

        LaunchCluster first = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == 1);
        assertEquals("echo prep", first.run());
        runToExit(job, first, 0);
        LaunchCluster second = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == 2);
        assertEquals("echo train", second.run());
        JobStatusChanged next = awaitStatus(job, s -> s.taskIndex() == 1 && s.to() == JobStatus.STARTING);
        assertEquals(2, next.taskCount());
        awaitCommand(job, TerminateCluster.class, t -> t.attempt() == 1);
        runToExit(job, second, 0);

        JobStatusChanged succeeded = awaitStatus(job, JobStatus.SUCCEEDED);
        assertEquals(1, succeeded.taskIndex());
        assertEquals(1, statusesOf(job).stream().filter(s -> s.to() == JobStatus.SUCCEEDED).count());
    }

    @Test
    void launchSlotsGoToTheHighestPriorityFirstAndBackoffHoldsNoSlot() throws Exception {
        int max = ConfigProvider.getConfig().getValue("crossjobs.controller.max-concurrent-launches", Integer.class);
        long inFlight = lifecycleStore.inTransaction(lifecycleStore::launchesInFlight).await().atMost(WAIT).total();
        List<String> fillers = new java.util.ArrayList<>();
        try {
            for (long i = inFlight; i < max; i++) {
                String filler = newJobId();
                fillers.add(filler);
                submit(filler);
            }
            for (String filler : fillers) awaitStatus(filler, JobStatus.STARTING);
            String low = newJobId();
            String high = newJobId();
            submit(low, List.of(new TaskSpec("low", M6I_US_EAST_1, 1, Map.of(), null, "echo low")), 100);
            awaitStatus(low, JobStatus.PENDING);
            submit(high, List.of(new TaskSpec("high", M6I_US_EAST_1, 1, Map.of(), null, "echo high")), 900);
            awaitStatus(high, JobStatus.PENDING);

            // every slot is taken: both wait; one slot frees up and the later, higher-priority job takes it
            freeSlot(fillers.remove(0));
            awaitStatus(high, JobStatus.STARTING);
            assertTrue(statusesOf(low).stream().noneMatch(s -> s.to() == JobStatus.STARTING), "low waits");

            // a job waiting on its backoff (after a failed launch) does not hold the queue: low goes next
            LaunchCluster highLaunch = awaitCommand(high, LaunchCluster.class, c -> c.attempt() == 1);
            provisionEvent(insufficientCapacity(highLaunch));
            awaitStatus(low, JobStatus.STARTING);
            fillers.add(low);
            fillers.add(high);
        } finally {
            for (String filler : fillers) freeSlot(filler);
        }
    }

    @Test
    void withAnAwsRegionFullTheNextAlternativeLaunchesAndAJobPinnedThereWaitsInsteadOfFailing() throws Exception {
        // aws/us-west-2 takes one launch in flight in tests (application.properties); no other test uses it
        Resources usWest2 = Resources.builder().cloud("aws").region("us-west-2").instanceType("m6i.large").build();
        Resources anyOf = Resources.builder().anyOf(List.of(usWest2,
                Resources.builder().cloud("gcp").region("us-central1").instanceType("n2-standard-4").build())).build();
        String first = newJobId();
        String spread = newJobId();
        String pinned = newJobId();
        ConsumerTask<String, String> gcpCommands = companion.consumeStrings()
                .fromTopics(Topics.provisionCommands("gcp"));
        try {
            submit(first, List.of(new TaskSpec("first", usWest2, 1, Map.of(), null, "echo first")), null);
            assertEquals("us-west-2", awaitCommand(first, LaunchCluster.class, c -> true).placement().region());

            // AWS's m6i.large is the cheaper alternative, but its region is full: the GCP one launches
            submit(spread, List.of(new TaskSpec("spread", anyOf, 1, Map.of(), null, "echo spread")), null);
            JobStatusChanged started = awaitStatus(spread, JobStatus.STARTING);
            assertEquals("gcp", started.placement().cloud());
            assertTrue(started.reason().contains("aws/us-west-2 launch capacity full: 1 in flight of 1, so on "
                    + "gcp/us-central1/"), started.reason());
            LaunchCluster onGcp = await().atMost(WAIT).until(() -> eventsOf(gcpCommands, spread).stream()
                    .filter(LaunchCluster.class::isInstance).map(LaunchCluster.class::cast).findFirst(),
                    Optional::isPresent).orElseThrow();
            assertEquals("n2-standard-4", onGcp.placement().instanceType());
            assertEquals(List.of(), commandsOf(spread), "nothing sent to AWS for it");

            // pinned to the full region: it waits PENDING through several scans, neither launched nor failed
            submit(pinned, List.of(new TaskSpec("pinned", usWest2, 1, Map.of(), null, "echo pinned")), null);
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).until(
                    () -> statusesOf(pinned).stream().map(JobStatusChanged::to).toList(), List.of(JobStatus.PENDING)::equals);
            assertEquals(JobStatus.PENDING, findJob(pinned).status());

            // the first launch is up: its place in us-west-2 goes to the pinned job
            freeSlot(first);
            LaunchCluster pinnedLaunch = awaitCommand(pinned, LaunchCluster.class, c -> c.attempt() == 1);
            assertEquals("us-west-2", pinnedLaunch.placement().region());
            assertEquals("cheapest of 3 candidates: aws/us-west-2/us-west-2a m6i.large on-demand $0.096/h",
                    awaitStatus(pinned, JobStatus.STARTING).reason());
        } finally {
            gcpCommands.close();
            for (String job : List.of(first, spread, pinned)) freeSlot(job);
        }
    }

    @Test
    void whileAnotherControllerHoldsTheSchedulersLeaseThisOneLaunchesNothing() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Boolean> held = lifecycleStore.inTransaction(conn -> lifecycleStore.tryScanLease(conn)
                .chain(leased -> Uni.createFrom().completionStage(release).replaceWith(leased)))
                .subscribeAsCompletionStage().toCompletableFuture();
        String job = newJobId();
        try {
            submit(job);
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).until(
                    () -> statusesOf(job).stream().map(JobStatusChanged::to).toList(), List.of(JobStatus.PENDING)::equals);
        } finally {
            release.complete(null);
        }
        assertTrue(held.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the test's transaction held the lease");
        awaitStatus(job, JobStatus.STARTING);
        freeSlot(job);
    }

    @Test
    void aFinishedJobCarriesItsCost() {
        String job = newJobId();
        submit(job);
        LaunchCluster launch = awaitCommand(job, LaunchCluster.class, c -> c.attempt() == 1);
        runToExit(job, launch, 0);

        JobStatusChanged succeeded = awaitStatus(job, JobStatus.SUCCEEDED);
        assertTrue(succeeded.costSoFar() != null && succeeded.costSoFar() >= 0, "cost carried: " + succeeded.costSoFar());
        assertEquals(List.of(), statusesOf(job).stream().filter(s -> s.costSoFar() == null).toList());
    }

    @Test
    void eventsOfTheControllersOwnClustersAreLeftToItsKeeper() throws Exception {
        // an unknown job's live cluster is an orphan and terminated; the controller's own VM must never be taken for one
        String controller = "controller-" + UUID.randomUUID();
        String cluster = "cj-" + controller + "-2";
        String foundId = UUID.randomUUID().toString();
        String progressId = UUID.randomUUID().toString();
        send(Topics.PROVISION_EVENTS, ClusterFound.of(controller).attempt(2).clusterName(cluster).cloud("aws")
                .region("us-east-1").zone("us-east-1a").instanceIds(List.of("i-ctl")).at(Instant.now()).build(),
                foundId);
        send(Topics.PROVISION_EVENTS, ClusterProgress.of(controller).attempt(2).clusterName(cluster)
                .state(ClusterState.RUNNING).cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceIds(List.of("i-ctl")).at(Instant.now()).build(), progressId);

        awaitMarkerBehind(controller);

        assertEquals(List.of(), commandsOf(controller));
        assertEquals(List.of(), statusesOf(controller));
        assertNull(findJob(controller));
        assertFalse(inInbox(foundId), "not even recorded as processed");
        assertFalse(inInbox(progressId));
    }

    @Test
    void aHeartbeatNamesTheControllerAndCountsThePartitionsItHolds() throws Exception {
        String pid = ProcessHandle.current().pid() + "@";
        ControllerIdentity as = new ControllerIdentity("controller-flow-" + UUID.randomUUID(), 3, "cj-controller-flow-3");
        ConsumerTask<String, String> beats = companion.consumeStrings().fromTopics(Topics.CONTROLLER_HEARTBEATS);
        try {
            // the only controller in its group holds every partition of both topics once its consumers joined
            ConsumerRecord<String, String> record = await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                heartbeats.publish(as);
                int all = partitionsOf(Topics.JOB_REQUESTS) + partitionsOf(Topics.PROVISION_EVENTS);
                return beats.getRecords().stream().filter(r -> as.id().equals(r.key()))
                        .filter(r -> heartbeat(r).ready() && heartbeat(r).assignedPartitions() == all)
                        .findFirst();
            }, Optional::isPresent).orElseThrow();
            ControllerHeartbeat beat = heartbeat(record);
            assertEquals(EventType.CONTROLLER_HEARTBEAT.ceType(), KafkaCompanion.getHeader(record.headers(), "ce_type"));
            assertEquals(3, beat.generation());
            assertEquals("cj-controller-flow-3", beat.clusterName());
            assertTrue(beat.process().startsWith(pid), beat.process());
            assertNotNull(beat.startedAt());
            assertFalse(beat.at().isBefore(beat.startedAt()));

            // without an identity (as in tests) the scheduler, ticking every second here, sends none of its own
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> beats.getRecords()
                    .stream().filter(r -> heartbeat(r).process().startsWith(pid)).map(ConsumerRecord::key).distinct()
                    .toList(), List.of(as.id())::equals);
        } finally {
            beats.close();
        }
    }

    // --- helpers

    /** Takes the job's launch out of flight: its cluster is up (whichever attempt is current). */
    private void freeSlot(String job) throws Exception {
        ManagedJob current = findJob(job);
        if (current.status() != JobStatus.STARTING && current.status() != JobStatus.PENDING) return;
        if (current.status() == JobStatus.PENDING) {
            await().atMost(WAIT).until(() -> findJob(job).status()
                    == JobStatus.STARTING);
            current = findJob(job);
        }
        provisionEvent(ClusterProgress.of(job).attempt(current.attempt()).clusterName(current.clusterName())
                .state(ClusterState.RUNNING).cloud(current.placement().cloud()).region(current.placement().region())
                .zone(current.placement().zone()).instanceIds(List.of("i-slot")).at(Instant.now()).build());
        int attempt = current.attempt();
        awaitStatus(job, s -> s.to() == JobStatus.RUNNING && s.attempt() == attempt);
    }

    private void runToRunning(String job, LaunchCluster launch) {
        provisionEvent(ClusterProgress.of(job).attempt(launch.attempt()).clusterName(launch.clusterName())
                .state(ClusterState.RUNNING).cloud("aws").region(launch.placement().region())
                .zone(launch.placement().zone()).instanceIds(List.of("i-run")).at(Instant.now()).build());
        awaitStatus(job, s -> s.to() == JobStatus.RUNNING && s.attempt() == launch.attempt());
    }

    /** The exit as a provisioner sends it: where the head node's output ends. */
    private static JobExited announcingExit(LaunchCluster launch, int code) {
        return new JobExited(launch.jobId(), launch.attempt(), launch.clusterName(), RunPhase.RUN, code, Instant.now(),
                List.of(new OutputEnd(0, 128)));
    }

    private OutputHold findHold(String job, int attempt) {
        return lifecycleStore.inTransaction(conn -> holds.find(conn, job, attempt)).await().atMost(WAIT);
    }

    private void runToExit(String job, LaunchCluster launch, int code) {
        provisionEvent(ClusterProgress.of(job).attempt(launch.attempt()).clusterName(launch.clusterName())
                .state(ClusterState.RUNNING).cloud("aws").region(launch.placement().region())
                .zone(launch.placement().zone()).instanceIds(List.of("i-run")).at(Instant.now()).build());
        awaitStatus(job, s -> s.to() == JobStatus.RUNNING && s.attempt() == launch.attempt());
        provisionEvent(new JobExited(job, launch.attempt(), launch.clusterName(), RunPhase.RUN, code, Instant.now()));
    }

    private static void submit(String job, List<TaskSpec> tasks, Integer priority) {
        send(Topics.JOB_REQUESTS, new JobSubmitted(job, "demo-" + job, "alice", null, Instant.now(), tasks, priority),
                UUID.randomUUID().toString());
    }

    /** Hibernate Reactive runs on a Vert.x (duplicated, safe) context, never on the test thread. */
    private ManagedJob findJob(String id) {
        return lifecycleStore.inTransaction(conn -> lifecycleStore.lock(conn, id)).await().atMost(WAIT);
    }

    /** The transition in a transaction of its own, with a stand-in event; true if its guard held. */
    private boolean applyAlone(io.crossjobs.controller.model.Transition t) {
        var event = new io.crossjobs.events.CancelRequested(t.jobId(), "test", Instant.now());
        return lifecycleStore.inTransaction(conn -> lifecycleStore.apply(conn, t, event, "unused")).await().atMost(WAIT);
    }

    private boolean inInbox(String eventId) {
        return pool.preparedQuery("select 1 from inbox where event_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(eventId)).await().atMost(WAIT).size() == 1;
    }

    private static LaunchFailed insufficientCapacity(LaunchCluster launch) {
        return LaunchFailed.of(launch.jobId()).attempt(launch.attempt()).clusterName(launch.clusterName())
                .cloud("aws").region(launch.placement().region()).zone(launch.placement().zone())
                .errorClass(ErrorClass.CAPACITY).scope(BlockScope.ZONE).errorCode("InsufficientInstanceCapacity")
                .message("We currently do not have sufficient m6i.large capacity in the Availability Zone"
                        + " you requested")
                .at(Instant.now()).build();
    }

    /**
     * Runs a second job to success through the same partitions as {@code job}. A partition is consumed and
     * published in order, so once its records are read, anything {@code job}'s earlier events caused is too.
     */
    private void awaitMarkerBehind(String job) {
        String marker = jobIdOnSamePartitionAs(job);
        submit(marker);
        LaunchCluster launch = awaitCommand(marker, LaunchCluster.class, c -> true);
        provisionEvent(ClusterProgress.of(marker).attempt(1).clusterName(launch.clusterName())
                .state(ClusterState.RUNNING).cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceIds(List.of("i-0def")).at(Instant.now()).build());
        provisionEvent(new JobExited(marker, 1, launch.clusterName(), RunPhase.RUN, 0, Instant.now()));
        awaitStatus(marker, JobStatus.SUCCEEDED);
        awaitCommand(marker, TerminateCluster.class, t -> true);
    }

    /** Each field of a snapshot lands in its own column and comes back in its own place. */
    @Test
    void everyFieldOfAJobIsWrittenAndReadBackInItsPlace() {
        String job = newJobId();
        Instant t = Instant.now().truncatedTo(ChronoUnit.MICROS);
        TaskSpec prep = new TaskSpec("prep", M6I_US_EAST_1, 1, Map.of(), null, "echo prep");
        TaskSpec train = new TaskSpec("train", M6I_US_EAST_1, 2, Map.of("EPOCHS", "3"), "echo setup", "echo train");
        ManagedJob created = ManagedJob.pending(job, "fields-" + job, "alice", List.of(prep, train), 321,
                t.minusSeconds(60), t.minusSeconds(59));
        ManagedJob after = created.with(b -> {
            b.taskIndex = 1;
            b.status = JobStatus.FAILED;
            b.attempt = 4;
            b.clusterName = "cj-" + job + "-4";
            b.placement = Placement.builder().cloud("gcp").region("europe-west4").zone("europe-west4-a")
                    .instanceType("a2-highgpu-1g").spot(true).pricePerHour(1.25)
                    .accelerator(Accelerator.parse("A100:1")).diskSizeGb(150).build();
            b.blocklist = List.of(BlockedScope.of(BlockScope.ZONE, "aws", "us-east-1", "us-east-1a", "no capacity", 2));
            b.recoveryCount = 5;
            b.restartCount = 6;
            b.failedLaunches = 7;
            b.failureReason = FailureReason.SETUP_FAILED;
            b.exitCode = 8;
            b.statusReason = "setup exited 8";
            b.startedAt = t.minusSeconds(50);
            b.endedAt = t.minusSeconds(10);
            b.updatedAt = t.minusSeconds(9);
            b.nextAttemptAt = t.minusSeconds(40);
            b.launchStartedAt = t.minusSeconds(30);
            b.costUsd = 0.125;
            b.billedSince = t.minusSeconds(20);
        });
        Transition change = new Transition("fail", Set.of(JobStatus.PENDING), created, after, "setup exited 8");

        // rolled back at the end, so that neither the job nor its outbox row outlives the test
        AtomicReference<ManagedJob> read = new AtomicReference<>();
        lifecycleStore.inTransaction(conn -> lifecycleStore.insertPending(conn, created)
                        .chain(() -> lifecycleStore.apply(conn, change, new CancelRequested(job, "alice", t), "unsent"))
                        .invoke(applied -> assertTrue(applied, "the guard held"))
                        .chain(() -> lifecycleStore.lock(conn, job))
                        .invoke(read::set)
                        .chain(() -> Uni.createFrom().failure(new RollBack())))
                .onFailure(RollBack.class).recoverWithNull()
                .await().atMost(WAIT);

        assertEquals(after, read.get());
    }

    private static final class RollBack extends RuntimeException {
        RollBack() { super("rolled back on purpose", null, false, false); }
    }

    private static String jobIdOnSamePartitionAs(String job) {
        List<Integer> partitionCounts = List.of(Topics.PROVISION_EVENTS, Topics.JOB_STATUS, COMMANDS).stream()
                .map(topic -> companion.topics().describe(topic).get(topic).partitions().size()).toList();
        while (true) {
            String candidate = newJobId();
            if (partitionCounts.stream().allMatch(n -> partition(candidate, n) == partition(job, n))) return candidate;
        }
    }

    /** Where Kafka's default partitioner puts a keyed record. */
    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static int partitionsOf(String topic) {
        return companion.topics().describe(topic).get(topic).partitions().size();
    }

    private static ControllerHeartbeat heartbeat(ConsumerRecord<String, String> record) {
        return (ControllerHeartbeat) decode(record);
    }

    private static String newJobId() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static void submit(String job) {
        TaskSpec task = new TaskSpec("demo", M6I_US_EAST_1, 1, Map.of("GREETING", "hi"), "echo setup", "echo run");
        send(Topics.JOB_REQUESTS, new JobSubmitted(job, "demo-" + job, "alice", task, Instant.now()),
                UUID.randomUUID().toString());
    }

    private static void provisionEvent(JobEvent event) {
        send(Topics.PROVISION_EVENTS, event, UUID.randomUUID().toString());
    }

    /** A binary-mode CloudEvent, as the other services' connectors write it. */
    private static void send(String topic, JobEvent event, String eventId) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.jobId(), EventCodec.encode(event));
        record.headers()
                .add("ce_specversion", bytes("1.0"))
                .add("ce_id", bytes(eventId))
                .add("ce_type", bytes(EventType.of(event).ceType()))
                .add("ce_source", bytes("/crossjobs/test"))
                .add("ce_subject", bytes(event.jobId()))
                .add("ce_time", bytes(Instant.now().toString()))
                .add("content-type", bytes("application/json"));
        companion.produceStrings().fromRecords(record).awaitCompletion(WAIT);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T extends JobEvent> T awaitCommand(String job, Class<T> type, Predicate<T> matching) {
        return await().atMost(WAIT).until(() -> commandsOf(job).stream().filter(type::isInstance).map(type::cast)
                .filter(matching).findFirst(), Optional::isPresent).orElseThrow();
    }

    private static JobStatusChanged awaitStatus(String job, JobStatus to) {
        return awaitStatus(job, s -> s.to() == to);
    }

    private static JobStatusChanged awaitStatus(String job, Predicate<JobStatusChanged> matching) {
        return await().atMost(WAIT).until(() -> statusesOf(job).stream().filter(matching).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private static List<JobEvent> commandsOf(String job) {
        return eventsOf(commands, job);
    }

    private static List<JobStatusChanged> statusesOf(String job) {
        return eventsOf(statuses, job).stream().map(JobStatusChanged.class::cast).toList();
    }

    private static List<JobEvent> eventsOf(ConsumerTask<String, String> task, String job) {
        return task.getRecords().stream().filter(r -> job.equals(r.key())).map(ControllerFlowTest::decode).toList();
    }

    private static JobEvent decode(ConsumerRecord<String, String> record) {
        assertEquals("/crossjobs/controller", KafkaCompanion.getHeader(record.headers(), "ce_source"));
        return EventCodec.decode(KafkaCompanion.getHeader(record.headers(), "ce_type"), record.value());
    }
}

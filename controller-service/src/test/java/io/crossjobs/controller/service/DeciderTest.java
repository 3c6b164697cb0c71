package io.crossjobs.controller.service;

import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.BlockedScope;
import io.crossjobs.controller.model.Decision;
import io.crossjobs.controller.model.LaunchesInFlight;
import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.events.Placement;
import io.crossjobs.events.Accelerator;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.ClusterPreempted;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.FailureReason;
import io.crossjobs.events.JobExited;
import io.crossjobs.events.JobRecovery;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.Resources;
import io.crossjobs.events.RunPhase;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.events.TerminateCluster;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.crossjobs.events.JobStatus.CANCELLED;
import static io.crossjobs.events.JobStatus.CANCELLING;
import static io.crossjobs.events.JobStatus.FAILED;
import static io.crossjobs.events.JobStatus.FAILED_CONTROLLER;
import static io.crossjobs.events.JobStatus.FAILED_NO_RESOURCE;
import static io.crossjobs.events.JobStatus.FAILED_PRECHECKS;
import static io.crossjobs.events.JobStatus.FAILED_SETUP;
import static io.crossjobs.events.JobStatus.PENDING;
import static io.crossjobs.events.JobStatus.RECOVERING;
import static io.crossjobs.events.JobStatus.RUNNING;
import static io.crossjobs.events.JobStatus.STARTING;
import static io.crossjobs.events.JobStatus.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The managed-job policy, event by event, without Kafka or a database. */
class DeciderTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Optimizer OPTIMIZER = new Optimizer(PriceCatalog.fromClasspath(List.of("catalog/aws.csv")));
    private final Decider decider = new Decider(OPTIMIZER, 3, Clock.fixed(NOW, ZoneOffset.UTC));

    private static final Resources M6I_US_EAST_1 = Resources.builder().cloud("aws").region("us-east-1")
            .instanceType("m6i.large").build();
    private static final Resources M6I_ANYWHERE = Resources.builder().cloud("aws").instanceType("m6i.large").build();

    private static ManagedJob pending(Resources resources) {
        TaskSpec task = new TaskSpec("train", resources, 1, Map.of("EPOCHS", "3"), "pip install -r req.txt", "python train.py");
        return ManagedJob.pending("j1", "train", "alice", task, NOW, NOW);
    }

    private ManagedJob starting(Resources resources) {
        return decider.onLaunchSlot(pending(resources)).resultingJob(null);
    }

    /** A failed launch waits PENDING for its backoff; then the scheduler gives it a slot. */
    private ManagedJob failAndRelaunch(ManagedJob job) {
        ManagedJob waiting = decider.onLaunchFailed(job, capacity(job)).resultingJob(job);
        return waiting.status() == PENDING ? decider.onLaunchSlot(waiting).resultingJob(waiting) : waiting;
    }

    private ManagedJob running(Resources resources) {
        ManagedJob job = starting(resources);
        return decider.onClusterProgress(job, progress(job, ClusterState.RUNNING)).resultingJob(job);
    }

    private static ClusterProgress progress(ManagedJob job, ClusterState state) {
        return ClusterProgress.of(job.id()).attempt(job.attempt()).clusterName(job.clusterName()).state(state)
                .cloud("aws").region(job.placement().region()).zone(job.placement().zone())
                .instanceIds(List.of("i-1")).at(NOW).build();
    }

    private static LaunchFailed capacity(ManagedJob job) {
        return LaunchFailed.of(job.id()).attempt(job.attempt()).clusterName(job.clusterName()).cloud("aws")
                .region(job.placement().region()).zone(job.placement().zone()).errorClass(ErrorClass.CAPACITY)
                .scope(BlockScope.ZONE).errorCode("InsufficientInstanceCapacity")
                .message("We currently do not have sufficient m6i.large capacity").at(NOW).build();
    }

    private static JobExited exited(ManagedJob job, RunPhase phase, int code) {
        return new JobExited(job.id(), job.attempt(), job.clusterName(), phase, code, NOW);
    }

    @Test
    void submittedJobWaitsForASlotThenStartsOnTheCheapestPlacementWithAttemptOne() {
        assertEquals("waiting for a launch slot", decider.onSubmitted(pending(M6I_US_EAST_1)).ignoredBecause());
        Decision d = decider.onLaunchSlot(pending(M6I_US_EAST_1));

        Transition t = d.transitions().get(0);
        assertEquals("startLaunch", t.name());
        assertEquals(PENDING, t.from());
        assertEquals(STARTING, t.to());
        assertEquals(0, t.guardAttempt());
        assertEquals("cheapest of 3 candidates: aws/us-east-1/us-east-1a m6i.large on-demand $0.096/h", t.reason());
        LaunchCluster launch = assertInstanceOf(LaunchCluster.class, d.commands().get(0));
        assertEquals(1, launch.attempt());
        assertEquals("cj-j1-1", launch.clusterName());
        assertEquals("crossjobs-j1", launch.taskId());
        assertEquals("us-east-1a", launch.placement().zone());
        assertEquals("python train.py", launch.run());
        assertEquals(Map.of("EPOCHS", "3"), launch.envs());
    }

    @Test
    void infeasibleTaskFailsItsPrechecksWithTheReason() {
        Decision d = decider.onSubmitted(pending(Resources.builder().cloud("aws").cpus("128+").build()));

        ManagedJob job = d.resultingJob(null);
        assertEquals(FAILED_PRECHECKS, job.status());
        assertEquals(FailureReason.NO_FEASIBLE_RESOURCE, job.failureReason());
        assertTrue(job.statusReason().startsWith("no offer in the catalog matches cloud=aws, cpus=128+"));
        assertTrue(d.commands().isEmpty());
    }

    // --- launch capacity per region

    private static LaunchesInFlight inFlight(String cloud, String region, int launching) {
        return LaunchesInFlight.of(Map.of(new LaunchesInFlight.Region(cloud, region), launching));
    }

    private static Placement launchedOn(Decision d) {
        return assertInstanceOf(LaunchCluster.class, d.commands().get(0)).placement();
    }

    @Test
    void aFullRegionSendsTheJobToTheNextRegionOfItsCloudAndTheReasonSaysWhy() {
        Decision d = decider.onLaunchSlot(pending(M6I_ANYWHERE), inFlight("aws", "us-east-1", 40));

        Placement p = launchedOn(d);
        assertEquals("us-east-2", p.region());
        Transition start = d.transitions().get(0);
        assertEquals(STARTING, start.to());
        assertEquals("cheapest of 12 candidates: aws/us-east-1/us-east-1a m6i.large on-demand $0.096/h; "
                + "aws/us-east-1 launch capacity full: 40 in flight of 40, so on " + Optimizer.describe(p),
                start.reason());

        Decision roomLeft = decider.onLaunchSlot(pending(M6I_ANYWHERE), inFlight("aws", "us-east-1", 39));
        assertEquals("us-east-1", launchedOn(roomLeft).region());
        assertEquals("cheapest of 12 candidates: aws/us-east-1/us-east-1a m6i.large on-demand $0.096/h",
                roomLeft.transitions().get(0).reason(), "the cheapest placement needs no word on capacity");
    }

    @Test
    void aJobPinnedToAFullRegionWaitsPendingInsteadOfFailing() {
        Decision d = decider.onLaunchSlot(pending(M6I_US_EAST_1), inFlight("aws", "us-east-1", 40));

        assertTrue(d.isEmpty(), "no transition, no command: it stays PENDING");
        assertEquals("waiting for launch capacity: aws/us-east-1 launch capacity full: 40 in flight of 40",
                d.ignoredBecause());

        // after a failed launch and its backoff it waits the same way, and its failed launches do not grow
        ManagedJob backedOff = decider.onLaunchFailed(starting(M6I_US_EAST_1), capacity(starting(M6I_US_EAST_1)))
                .resultingJob(null);
        assertEquals(PENDING, backedOff.status());
        assertTrue(decider.onLaunchSlot(backedOff, inFlight("aws", "us-east-1", 41)).isEmpty());

        Decision freed = decider.onLaunchSlot(backedOff, inFlight("aws", "us-east-1", 39));
        assertEquals("us-east-1", launchedOn(freed).region());
        assertEquals(2, freed.resultingJob(backedOff).attempt());
    }

    @Test
    void anyOfAndOrderedAlternativesTakeTheNextCloudWhenTheCheapestCloudsRegionsAreFull() {
        Decider awsAndGcp = new Decider(new Optimizer(PriceCatalog.fromClasspath(List.of("catalog/aws.csv",
                "catalog/gcp.csv"))), 3, Clock.fixed(NOW, ZoneOffset.UTC));
        Resources anyOf = Resources.builder().cpus("2").anyOf(List.of(
                Resources.builder().cloud("aws").build(),
                Resources.builder().cloud("gcp").build())).build();
        Map<LaunchesInFlight.Region, Integer> awsFull = new java.util.HashMap<>();
        for (String region : List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1")) {
            awsFull.put(new LaunchesInFlight.Region("aws", region), 40);
        }

        assertEquals("aws", launchedOn(awsAndGcp.onLaunchSlot(pending(anyOf))).cloud(), "AWS is the cheapest");
        Decision spread = awsAndGcp.onLaunchSlot(pending(anyOf), LaunchesInFlight.of(awsFull));
        Placement gcp = launchedOn(spread);
        assertEquals("gcp", gcp.cloud());
        String reason = spread.transitions().get(0).reason();
        assertTrue(reason.startsWith("cheapest of "), reason);
        assertTrue(reason.endsWith("aws/us-west-2 launch capacity full: 40 in flight of 40; and 1 more full region,"
                + " so on " + Optimizer.describe(gcp)), reason);

        Resources ordered = Resources.builder().cpus("2").ordered(List.of(
                Resources.builder().cloud("gcp").region("us-central1").build(),
                Resources.builder().cloud("aws").region("us-east-1").build())).build();
        assertEquals("gcp", launchedOn(awsAndGcp.onLaunchSlot(pending(ordered))).cloud(), "the user's first choice");
        Decision second = awsAndGcp.onLaunchSlot(pending(ordered), inFlight("gcp", "us-central1", 400));
        assertEquals("aws", launchedOn(second).cloud());
        assertTrue(second.transitions().get(0).reason().startsWith("ordered alternative 1 of 2: "));
        assertTrue(second.transitions().get(0).reason().contains("gcp/us-central1 launch capacity full: 400 in flight"
                + " of 400, so on aws/us-east-1/"), second.transitions().get(0).reason());
    }

    @Test
    void clusterUpMeansRunningOnceOnly() {
        ManagedJob job = starting(M6I_US_EAST_1);

        Decision up = decider.onClusterProgress(job, progress(job, ClusterState.RUNNING));
        ManagedJob running = up.resultingJob(job);

        assertEquals(RUNNING, running.status());
        assertEquals(NOW, running.startedAt());
        assertTrue(decider.onClusterProgress(running, progress(running, ClusterState.RUNNING)).isEmpty());
        assertTrue(decider.onClusterProgress(job, ClusterProgress.of("j1").attempt(7).clusterName("cj-j1-7")
                .state(ClusterState.RUNNING).cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceIds(List.of()).at(NOW).build()).isEmpty(), "another attempt's event");
    }

    @Test
    void runExitZeroSucceedsAndTerminatesExactlyOnce() {
        ManagedJob job = running(M6I_US_EAST_1);

        Decision d = decider.onJobExited(job, exited(job, RunPhase.RUN, 0));
        ManagedJob done = d.resultingJob(job);

        assertEquals(SUCCEEDED, done.status());
        assertEquals(0, done.exitCode());
        TerminateCluster terminate = assertInstanceOf(TerminateCluster.class, d.commands().get(0));
        assertEquals("cj-j1-1", terminate.clusterName());
        assertEquals("aws", terminate.cloud());
        Decision replay = decider.onJobExited(done, exited(job, RunPhase.RUN, 0));
        assertTrue(replay.isEmpty());
        assertEquals("job is already SUCCEEDED", replay.ignoredBecause());
    }

    @Test
    void nonZeroExitsFailWithTheirExitCode() {
        ManagedJob job = running(M6I_US_EAST_1);

        ManagedJob failed = decider.onJobExited(job, exited(job, RunPhase.RUN, 3)).resultingJob(job);
        assertEquals(FAILED, failed.status());
        assertEquals(3, failed.exitCode());
        assertEquals(FailureReason.USER_CODE_FAILED, failed.failureReason());

        ManagedJob setupFailed = decider.onJobExited(job, exited(job, RunPhase.SETUP, 2)).resultingJob(job);
        assertEquals(FAILED_SETUP, setupFailed.status());
        assertEquals(2, setupFailed.exitCode());
        assertEquals(FailureReason.SETUP_FAILED, setupFailed.failureReason());

        assertTrue(decider.onJobExited(job, exited(job, RunPhase.SETUP, 0)).isEmpty());
    }

    @Test
    void aGpuTaskLaunchesWithItsAcceleratorsAndDiskAndAScriptOneCloudCannotTakeMovesToAnother() {
        Decider twoClouds = new Decider(new Optimizer(PriceCatalog.fromClasspath(List.of("catalog/gcp.csv",
                "catalog/azure.csv"))), 3, Clock.fixed(NOW, ZoneOffset.UTC));
        Resources t4 = Resources.builder().accelerators(List.of("T4:1")).diskSizeGb(500).build();
        ManagedJob job = twoClouds.onLaunchSlot(pending(t4)).resultingJob(null);
        Placement first = job.placement();
        assertEquals(new Accelerator("T4", 1), first.accelerator());
        assertEquals(500, first.diskSizeGb());

        LaunchFailed tooLarge = LaunchFailed.of(job.id()).attempt(job.attempt()).clusterName(job.clusterName())
                .cloud(first.cloud()).region(first.region()).zone(first.zone()).errorClass(ErrorClass.UNSUPPORTED)
                .scope(BlockScope.CLOUD).errorCode("UserDataTooLarge")
                .message("the startup script is 20000 bytes; " + first.cloud() + " takes at most ...").at(NOW).build();
        ManagedJob waiting = twoClouds.onLaunchFailed(job, tooLarge).resultingJob(job);
        assertEquals(PENDING, waiting.status(), "tried elsewhere, not failed");
        Decision relaunch = twoClouds.onLaunchSlot(waiting);
        LaunchCluster again = relaunch.commands().stream().filter(LaunchCluster.class::isInstance)
                .map(LaunchCluster.class::cast).findFirst().orElseThrow();
        assertNotEquals(first.cloud(), again.placement().cloud());
        assertEquals(new Accelerator("T4", 1), again.placement().accelerator());
        assertEquals(500, again.placement().diskSizeGb());
    }

    @Test
    void withoutADiskSizeANodeGetsSkyPilotsDefault() {
        assertEquals(Resources.DEFAULT_DISK_SIZE_GB, starting(M6I_US_EAST_1).placement().diskSizeGb());
    }

    @Test
    void capacityErrorBlocksTheZoneWaitsItsBackoffAndRelaunchesInAnotherOne() {
        ManagedJob job = starting(M6I_US_EAST_1);

        Decision d = decider.onLaunchFailed(job, capacity(job));
        ManagedJob waiting = d.resultingJob(job);

        Transition t = d.transitions().get(0);
        assertEquals("backOff", t.name());
        assertEquals(STARTING, t.from());
        assertEquals(PENDING, t.to());
        assertEquals(1, waiting.attempt());
        assertEquals(NOW.plusSeconds(10), waiting.nextAttemptAt(), "the first backoff");
        assertEquals(NOW, waiting.launchStartedAt());
        assertEquals(1, waiting.failedLaunches());
        assertEquals(List.of(new BlockedScope(BlockScope.ZONE, "aws", "us-east-1", "us-east-1a",
                "CAPACITY InsufficientInstanceCapacity", 1)), waiting.blocklist());
        assertTrue(t.reason().startsWith("attempt 1 failed in zone aws/us-east-1/us-east-1a: CAPACITY "
                + "InsufficientInstanceCapacity"), t.reason());
        assertTrue(t.reason().contains("launch 2 of at most 3 in 10000 ms"), t.reason());
        TerminateCluster cleanUp = assertInstanceOf(TerminateCluster.class, d.commands().get(0));
        assertEquals(1, cleanUp.attempt());
        assertEquals(1, d.commands().size(), "no launch before the backoff is over");
        assertTrue(decider.onLaunchFailed(waiting, capacity(job)).isEmpty(), "a replay of attempt 1's failure");

        Decision slot = decider.onLaunchSlot(waiting);
        ManagedJob next = slot.resultingJob(waiting);
        assertEquals(STARTING, next.status());
        assertEquals(2, next.attempt());
        assertEquals("cj-j1-2", next.clusterName());
        assertEquals("us-east-1b", next.placement().zone());
        assertEquals(null, next.nextAttemptAt());
        LaunchCluster relaunch = assertInstanceOf(LaunchCluster.class, slot.commands().get(0));
        assertEquals(2, relaunch.attempt());
        assertEquals("crossjobs-j1", relaunch.taskId(), "the task id stays across attempts");
        assertTrue(slot.transitions().get(0).reason().startsWith("after 1 failed launch(es), attempt 2 on cheapest of 2"),
                slot.transitions().get(0).reason());
    }

    @Test
    void backoffGrowsExponentiallyUpToItsMaximum() {
        LaunchBackoff b = new LaunchBackoff(java.time.Duration.ofSeconds(10), 2, java.time.Duration.ofSeconds(30),
                java.time.Duration.ofMinutes(1));
        assertEquals(List.of(10L, 20L, 30L, 30L), List.of(b.delay(1), b.delay(2), b.delay(3), b.delay(4)).stream()
                .map(java.time.Duration::toSeconds).toList());
    }

    @Test
    void theLaunchTimeLimitEndsTheRetries() {
        ManagedJob waiting = decider.onLaunchFailed(starting(M6I_ANYWHERE), capacity(starting(M6I_ANYWHERE)))
                .resultingJob(starting(M6I_ANYWHERE));
        Decider later = new Decider(OPTIMIZER, 3, Clock.fixed(NOW.plus(java.time.Duration.ofMinutes(31)), ZoneOffset.UTC));

        ManagedJob failed = later.onLaunchSlot(waiting).resultingJob(waiting);

        assertEquals(FAILED_NO_RESOURCE, failed.status());
        assertEquals(FailureReason.LAUNCH_RETRIES_EXHAUSTED, failed.failureReason());
        assertTrue(failed.statusReason().startsWith("launch time limit PT30M passed (1860s since the first launch), "
                + "tried: zone aws/us-east-1/us-east-1a"), failed.statusReason());
    }

    @Test
    void aLaunchThatNeverComesUpGivesItsSlotBackAfterTheTimeLimit() {
        ManagedJob job = starting(M6I_US_EAST_1);
        assertTrue(decider.onLaunchOverdue(job).isEmpty(), "within the limit");

        Decider later = new Decider(OPTIMIZER, 3, Clock.fixed(NOW.plus(java.time.Duration.ofMinutes(45)), ZoneOffset.UTC));
        Decision d = later.onLaunchOverdue(job);

        assertEquals(FAILED_NO_RESOURCE, d.resultingJob(job).status());
        assertTrue(d.resultingJob(job).statusReason().startsWith("attempt 1 never came up: launch time limit PT30M"),
                d.resultingJob(job).statusReason());
        assertEquals("cj-j1-1", assertInstanceOf(TerminateCluster.class, d.commands().get(0)).clusterName());
    }

    @Test
    void launchFailuresStopAtMaxAttemptsListingWhatWasTried() {
        ManagedJob job = starting(M6I_ANYWHERE);
        for (int i = 0; i < 2; i++) job = failAndRelaunch(job);
        assertEquals(3, job.attempt());

        Decision last = decider.onLaunchFailed(job, capacity(job));
        ManagedJob failed = last.resultingJob(job);

        assertEquals(FAILED_NO_RESOURCE, failed.status());
        assertEquals(FailureReason.LAUNCH_RETRIES_EXHAUSTED, failed.failureReason());
        assertTrue(failed.statusReason().contains("gave up after 3 failed launches, tried: "
                + "zone aws/us-east-1/us-east-1a (attempt 1: CAPACITY InsufficientInstanceCapacity); "
                + "zone aws/us-east-1/us-east-1b (attempt 2: CAPACITY InsufficientInstanceCapacity); "
                + "zone aws/us-east-1/us-east-1c (attempt 3: CAPACITY InsufficientInstanceCapacity)"),
                failed.statusReason());
        assertEquals(1, last.commands().size(), "only the clean-up of the last attempt");
    }

    @Test
    void nothingLeftToTryFailsWithNoResource() {
        ManagedJob job = starting(Resources.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceType("m6i.large").build());

        ManagedJob failed = decider.onLaunchFailed(job, capacity(job)).resultingJob(job);

        assertEquals(FAILED_NO_RESOURCE, failed.status());
        assertTrue(failed.statusReason().contains("no placement left: all 1 offers matching"), failed.statusReason());
    }

    @Test
    void authErrorsAreNotRetried() {
        ManagedJob job = starting(M6I_US_EAST_1);
        LaunchFailed auth = LaunchFailed.of("j1").attempt(1).clusterName("cj-j1-1").cloud("aws").region("us-east-1")
                .zone("us-east-1a").errorClass(ErrorClass.AUTH).scope(BlockScope.CLOUD).errorCode("AuthFailure")
                .message("AWS was not able to validate the provided access credentials").at(NOW).build();

        Decision d = decider.onLaunchFailed(job, auth);
        ManagedJob failed = d.resultingJob(job);

        assertEquals(FAILED_PRECHECKS, failed.status());
        assertEquals(FailureReason.CLOUD_REFUSED, failed.failureReason());
        assertTrue(failed.statusReason().startsWith("aws refused attempt 1: AUTH AuthFailure"), failed.statusReason());
        assertInstanceOf(TerminateCluster.class, d.commands().get(0));
        assertEquals(1, d.commands().size());
    }

    @Test
    void preemptionRecoversInTheNextRegion() {
        ManagedJob job = running(M6I_ANYWHERE);
        ClusterPreempted preempted = ClusterPreempted.of("j1").attempt(1).clusterName("cj-j1-1").cloud("aws")
                .region("us-east-1").zone("us-east-1a").message("spot instance interrupted").at(NOW).build();

        Decision d = decider.onClusterPreempted(job, preempted);

        assertEquals(List.of("startRecovery", "relaunch"), d.transitions().stream().map(Transition::name).toList());
        assertEquals(RUNNING, d.transitions().get(0).from());
        assertEquals(RECOVERING, d.transitions().get(0).to());
        assertEquals(RECOVERING, d.transitions().get(1).from());
        ManagedJob next = d.resultingJob(job);
        assertEquals(STARTING, next.status());
        assertEquals(2, next.attempt());
        assertEquals(1, next.recoveryCount());
        assertNotEquals("us-east-1", next.placement().region());
        assertEquals("us-east-2", next.placement().region());
        TerminateCluster tearDown = assertInstanceOf(TerminateCluster.class, d.commands().get(0));
        assertEquals("cj-j1-1", tearDown.clusterName());
        assertEquals("cj-j1-2", assertInstanceOf(LaunchCluster.class, d.commands().get(1)).clusterName());

        ManagedJob back = decider.onClusterProgress(next, progress(next, ClusterState.RUNNING)).resultingJob(next);
        assertEquals(RUNNING, back.status());
        assertTrue(decider.onClusterPreempted(back, preempted).isEmpty(), "the old attempt's preemption again");
    }

    @Test
    void preemptionWithAPinnedRegionMovesToAnotherZone() {
        ManagedJob job = running(M6I_US_EAST_1);

        ManagedJob next = decider.onClusterPreempted(job, ClusterPreempted.of("j1").attempt(1).clusterName("cj-j1-1")
                .cloud("aws").region("us-east-1").zone("us-east-1a").at(NOW).build()).resultingJob(job);

        assertEquals("us-east-1", next.placement().region());
        assertEquals("us-east-1b", next.placement().zone());
    }

    @Test
    void preemptionWithAPinnedZoneRelaunchesInPlace() {
        ManagedJob job = running(Resources.builder().cloud("aws").region("us-east-1").zone("us-east-1a")
                .instanceType("m6i.large").build());

        ManagedJob next = decider.onClusterPreempted(job, ClusterPreempted.of("j1").attempt(1).clusterName("cj-j1-1")
                .cloud("aws").region("us-east-1").zone("us-east-1a").at(NOW).build()).resultingJob(job);

        assertEquals(STARTING, next.status());
        assertEquals("us-east-1a", next.placement().zone());
    }

    @Test
    void aParkedEventFailsTheLiveJobAsControllerErrorAndTerminatesItsCluster() {
        ManagedJob job = running(M6I_US_EAST_1);

        Decision parked = decider.onEventParked(job, "JobExited from provision-events-0@7: unreadable");
        ManagedJob failed = parked.resultingJob(job);

        assertEquals(FAILED_CONTROLLER, failed.status());
        assertEquals(FailureReason.CONTROLLER_ERROR, failed.failureReason());
        assertEquals(NOW, failed.endedAt());
        assertEquals("controller error: JobExited from provision-events-0@7: unreadable", failed.statusReason());
        assertEquals("cj-j1-1", assertInstanceOf(TerminateCluster.class, parked.commands().get(0)).clusterName());
        assertTrue(decider.onEventParked(failed, "again").isEmpty(), "an ended job stays as it ended");
    }

    @Test
    void aParkedEventFailsAPendingJobWithNoClusterToTerminate() {
        Decision parked = decider.onEventParked(pending(M6I_US_EAST_1), "CancelRequested: a bug");

        assertEquals(FAILED_CONTROLLER, parked.resultingJob(null).status());
        assertTrue(parked.commands().isEmpty());
    }

    @Test
    void aParkedEventLeavesAJobBeingCancelledToItsCancel() {
        ManagedJob job = starting(M6I_US_EAST_1);
        ManagedJob cancelling = decider.onCancelRequested(job, new CancelRequested("j1", "alice", NOW))
                .resultingJob(job);

        assertTrue(decider.onEventParked(cancelling, "ClusterProgress: a bug").isEmpty());
    }

    @Test
    void cancelWhileStartingTerminatesThenCancels() {
        ManagedJob job = starting(M6I_US_EAST_1);

        Decision cancel = decider.onCancelRequested(job, new CancelRequested("j1", "alice", NOW));
        ManagedJob cancelling = cancel.resultingJob(job);

        assertEquals(CANCELLING, cancelling.status());
        assertEquals("cj-j1-1", assertInstanceOf(TerminateCluster.class, cancel.commands().get(0)).clusterName());
        assertTrue(decider.onCancelRequested(cancelling, new CancelRequested("j1", "alice", NOW)).isEmpty());
        assertTrue(decider.onClusterProgress(cancelling, progress(cancelling, ClusterState.RUNNING)).isEmpty());

        ManagedJob cancelled = decider.onClusterProgress(cancelling, progress(cancelling, ClusterState.TERMINATED))
                .resultingJob(cancelling);
        assertEquals(CANCELLED, cancelled.status());
        assertEquals(NOW, cancelled.endedAt());
    }

    @Test
    void aJobThatExitsWhileCancellingKeepsItsOutcome() {
        ManagedJob job = running(M6I_US_EAST_1);
        ManagedJob cancelling = decider.onCancelRequested(job, new CancelRequested("j1", null, NOW)).resultingJob(job);

        Decision exit = decider.onJobExited(cancelling, exited(cancelling, RunPhase.RUN, 0));

        assertEquals(SUCCEEDED, exit.resultingJob(cancelling).status());
        assertTrue(exit.commands().isEmpty(), "the cluster is already being terminated");
    }

    @Test
    void pendingJobIsCancelledAtOnce() {
        Decision d = decider.onCancelRequested(pending(M6I_US_EAST_1), new CancelRequested("j1", "bob", NOW));

        assertEquals(CANCELLED, d.resultingJob(null).status());
        assertEquals("cancelled by bob", d.transitions().get(0).reason());
        assertTrue(d.commands().isEmpty());
    }

    @Test
    void illegalTransitionsAreRefusedByTheStateMachine() {
        ManagedJob job = running(M6I_US_EAST_1);
        assertThrows(IllegalStateException.class, () -> JobStateMachine.startLaunch(job, job.placement(), "x", NOW));
        JobStatus status = JobStateMachine.markSucceeded(job, "done", NOW).after().status();
        assertEquals(SUCCEEDED, status);
    }

    // --- recovery strategies, restarts, pipelines

    private static Resources withRecovery(Resources r, JobRecovery recovery) {
        return r.toBuilder().jobRecovery(recovery).build();
    }

    private ManagedJob runningWith(JobRecovery recovery) {
        return running(withRecovery(M6I_ANYWHERE, recovery));
    }

    @Test
    void failoverRecoversInTheSameRegionFirstThenAnywhere() {
        ManagedJob job = runningWith(new JobRecovery(JobRecovery.FAILOVER, 0, null));
        ManagedJob next = decider.onClusterPreempted(job, ClusterPreempted.of("j1").attempt(1).clusterName("cj-j1-1")
                .cloud("aws").region("us-east-1").zone("us-east-1a").message("spot interrupted").at(NOW).build())
                .resultingJob(job);

        assertEquals(STARTING, next.status());
        assertEquals(1, next.recoveryCount());
        assertEquals("us-east-1", next.placement().region());
        assertTrue(next.statusReason().contains("(FAILOVER)"), next.statusReason());

        // capacity errors: the next zones of the same region first
        ManagedJob second = failAndRelaunch(next);
        assertEquals("us-east-1", second.placement().region());
        ManagedJob third = failAndRelaunch(second);
        assertEquals(STARTING, third.status());
        assertEquals("us-east-1", third.placement().region());
        assertEquals(List.of("us-east-1a", "us-east-1b", "us-east-1c"),
                List.of(next.placement().zone(), second.placement().zone(), third.placement().zone()).stream().sorted().toList());
    }

    @Test
    void eagerNextRegionIsTheDefault() {
        ManagedJob job = runningWith(null);
        ManagedJob next = decider.onClusterPreempted(job, ClusterPreempted.of("j1").attempt(1).clusterName("cj-j1-1")
                .cloud("aws").region("us-east-1").zone("us-east-1a").at(NOW).build()).resultingJob(job);
        assertEquals("us-east-2", next.placement().region());
        assertTrue(next.statusReason().contains("(EAGER_NEXT_REGION)"), next.statusReason());
    }

    @Test
    void aFailingRunRestartsUpToTheLimitThenFails() {
        ManagedJob job = runningWith(new JobRecovery(null, 2, null));
        String taskId = job.taskId();

        for (int restart = 1; restart <= 2; restart++) {
            Decision d = decider.onJobExited(job, exited(job, RunPhase.RUN, 7));
            assertEquals(List.of("restartAfterError", "relaunch"), d.transitions().stream().map(Transition::name).toList());
            assertEquals(RECOVERING, d.transitions().get(0).to());
            ManagedJob next = d.resultingJob(job);
            assertEquals(STARTING, next.status());
            assertEquals(restart, next.restartCount());
            assertEquals(0, next.recoveryCount());
            assertEquals(job.attempt() + 1, next.attempt());
            assertEquals(taskId, assertInstanceOf(LaunchCluster.class, d.commands().get(1)).taskId());
            assertInstanceOf(TerminateCluster.class, d.commands().get(0));
            assertTrue(next.statusReason().contains("restart of the run"), next.statusReason());
            job = decider.onClusterProgress(next, progress(next, ClusterState.RUNNING)).resultingJob(next);
        }
        ManagedJob failed = decider.onJobExited(job, exited(job, RunPhase.RUN, 7)).resultingJob(job);
        assertEquals(FAILED, failed.status());
        assertEquals(7, failed.exitCode());
        assertEquals(3, failed.attempt());   // ran three times
        assertEquals(2, failed.restartCount());
    }

    @Test
    void recoverOnExitCodesAlwaysRestartAndAreNotCounted() {
        ManagedJob job = runningWith(new JobRecovery(null, 0, List.of(137)));

        ManagedJob next = decider.onJobExited(job, exited(job, RunPhase.RUN, 137)).resultingJob(job);
        assertEquals(STARTING, next.status());
        assertEquals(0, next.restartCount());
        assertEquals(1, next.recoveryCount());
        assertTrue(next.statusReason().contains("recover_on_exit_codes"), next.statusReason());

        ManagedJob back = decider.onClusterProgress(next, progress(next, ClusterState.RUNNING)).resultingJob(next);
        assertEquals(STARTING, decider.onJobExited(back, exited(back, RunPhase.RUN, 137)).resultingJob(back).status());
        assertEquals(FAILED, decider.onJobExited(back, exited(back, RunPhase.RUN, 1)).resultingJob(back).status());
    }

    @Test
    void setupFailureIsNeverRestarted() {
        ManagedJob job = runningWith(new JobRecovery(null, 5, List.of(2)));
        ManagedJob done = decider.onJobExited(job, exited(job, RunPhase.SETUP, 2)).resultingJob(job);
        assertEquals(FAILED_SETUP, done.status());
    }

    private static ManagedJob pipeline(TaskSpec... tasks) {
        return ManagedJob.pending("p1", "pipe", "alice", List.of(tasks), 500, NOW, NOW);
    }

    private static TaskSpec task(String name, Resources r) {
        return new TaskSpec(name, r, 1, Map.of(), null, "run " + name);
    }

    @Test
    void pipelineTasksRunInOrderEachOnItsOwnCluster() {
        ManagedJob job = decider.onLaunchSlot(pipeline(task("prep", M6I_US_EAST_1), task("train", M6I_ANYWHERE)))
                .resultingJob(null);
        assertEquals(0, job.taskIndex());
        assertEquals(2, job.taskCount());
        assertTrue(job.statusReason().startsWith("task 1 of 2: "), job.statusReason());
        job = decider.onClusterProgress(job, progress(job, ClusterState.RUNNING)).resultingJob(job);

        Decision d = decider.onJobExited(job, exited(job, RunPhase.RUN, 0));
        ManagedJob second = d.resultingJob(job);
        assertEquals(List.of("startNextTask"), d.transitions().stream().map(Transition::name).toList());
        assertEquals(STARTING, second.status());
        assertEquals(1, second.taskIndex());
        assertEquals(2, second.attempt());
        assertEquals("cj-p1-2", second.clusterName());
        assertEquals("cj-p1-1", assertInstanceOf(TerminateCluster.class, d.commands().get(0)).clusterName());
        LaunchCluster launch = assertInstanceOf(LaunchCluster.class, d.commands().get(1));
        assertEquals("run train", launch.run());
        assertEquals("crossjobs-p1-1", launch.taskId());

        ManagedJob running = decider.onClusterProgress(second, progress(second, ClusterState.RUNNING)).resultingJob(second);
        ManagedJob done = decider.onJobExited(running, exited(running, RunPhase.RUN, 0)).resultingJob(running);
        assertEquals(SUCCEEDED, done.status());
        assertEquals("task 2 of 2: run exited with code 0", done.statusReason());
    }

    @Test
    void aFailedPipelineTaskSkipsTheRest() {
        ManagedJob job = decider.onLaunchSlot(pipeline(task("a", M6I_US_EAST_1), task("b", M6I_US_EAST_1),
                task("c", M6I_US_EAST_1))).resultingJob(null);
        job = decider.onClusterProgress(job, progress(job, ClusterState.RUNNING)).resultingJob(job);

        ManagedJob failed = decider.onJobExited(job, exited(job, RunPhase.RUN, 4)).resultingJob(job);
        assertEquals(FAILED, failed.status());
        assertEquals("task 1 of 3: run exited with code 4; the remaining 2 task(s) are skipped", failed.statusReason());
    }

    @Test
    void aPipelineWithAnInfeasibleLaterTaskFailsItsPrechecksAtOnce() {
        ManagedJob job = decider.onSubmitted(pipeline(task("a", M6I_US_EAST_1),
                task("b", Resources.builder().cloud("aws").cpus("512+").build()))).resultingJob(null);
        assertEquals(FAILED_PRECHECKS, job.status());
        assertTrue(job.statusReason().startsWith("task 2 of 2: no offer"), job.statusReason());
    }

    /** A next task no offer fits any more (the catalog changed since the prechecks): the failure is that task's. */
    @Test
    void aNextTaskThatCannotBePlacedFailsAsItselfNotAsTheTaskThatSucceeded() {
        ManagedJob started = decider.onLaunchSlot(pipeline(task("a", M6I_US_EAST_1), task("b", M6I_US_EAST_1)))
                .resultingJob(null);
        ManagedJob job = decider.onClusterProgress(started, progress(started, ClusterState.RUNNING))
                .resultingJob(started)
                .with(b -> b.tasks = List.of(started.tasks().get(0),
                        task("b", Resources.builder().cloud("aws").cpus("512+").build())));

        Decision d = decider.onJobExited(job, exited(job, RunPhase.RUN, 0));
        ManagedJob failed = d.resultingJob(job);

        assertEquals(FAILED_NO_RESOURCE, failed.status());
        assertEquals(1, failed.taskIndex(), "the failure is the second task's");
        assertTrue(failed.statusReason().startsWith("task 1 of 2 succeeded; task 2: "), failed.statusReason());
        assertEquals(job.clusterName(), assertInstanceOf(TerminateCluster.class, d.commands().get(0)).clusterName());
    }

    @Test
    void aFoundClusterIsAnOrphanUnlessItIsTheCurrentClusterOfALiveJob() {
        ManagedJob job = running(M6I_ANYWHERE);
        assertEquals(null, Decider.orphanReason(job, found(job.attempt(), job.clusterName())));
        assertEquals(null, Decider.orphanReason(starting(M6I_ANYWHERE), found(1, job.clusterName())),
                "a starting job's cluster, found before its launch was reported");

        assertEquals("job is unknown", Decider.orphanReason(null, found(1, "cj-j1-1")));
        ManagedJob done = job.with(b -> b.status = SUCCEEDED);
        assertEquals("job is SUCCEEDED", Decider.orphanReason(done, found(job.attempt(), job.clusterName())));
        assertTrue(Decider.orphanReason(job, found(job.attempt() + 1, job.clusterName()))
                .contains("not the job's current attempt " + job.attempt()));
        assertTrue(Decider.orphanReason(job, found(job.attempt(), "someone-else")).contains("not the job's current"));
    }

    @Test
    void aJobCostsItsPriceTimesTheTimeItRanToTheMicroDollar() {
        ManagedJob running = running(M6I_US_EAST_1);                         // $0.096/h on-demand, since NOW
        Decider tenHoursLater = new Decider(OPTIMIZER, 3, Clock.fixed(NOW.plus(Duration.ofHours(10)), ZoneOffset.UTC));

        ManagedJob done = tenHoursLater.onJobExited(running, exited(running, RunPhase.RUN, 0)).resultingJob(running);

        assertEquals(SUCCEEDED, done.status());
        assertEquals(0.96, done.costUsd(), 1e-9);
        assertEquals(null, done.billedSince());
        assertEquals(0.96, done.costSoFar(NOW.plus(Duration.ofDays(3))), 1e-9, "a finished job costs nothing more");
        assertEquals(0.000133, running.costSoFarMicros(NOW.plusSeconds(5)), 1e-12,
                "5 s on m6i.large is about $0.000133, not free");
    }

    @Test
    void aMultiNodeJobCostsEveryNode() {
        ManagedJob one = running(M6I_US_EAST_1);
        ManagedJob four = one.with(b -> b.tasks = List.of(new TaskSpec("train", M6I_US_EAST_1, 4, Map.of(), null, "x")));

        assertEquals(0.384, four.costSoFar(NOW.plus(Duration.ofHours(1))), 1e-9, "4 × m6i.large at $0.096/h for 1 h");
        assertEquals(0.096, one.costSoFar(NOW.plus(Duration.ofHours(1))), 1e-9);
    }

    private static io.crossjobs.events.ClusterFound found(int attempt, String cluster) {
        return new io.crossjobs.events.ClusterFound("j1", attempt, cluster, "aws", "us-east-1", "us-east-1a",
                List.of("i-1"), NOW);
    }
}

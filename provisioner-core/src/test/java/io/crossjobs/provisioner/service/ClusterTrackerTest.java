package io.crossjobs.provisioner.service;

import io.crossjobs.events.ClusterState;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grouping one region's listing by cluster and mapping node states to cluster states, across polls. */
class ClusterTrackerTest {
    private static final String REGION = "us-east-1";
    private static final ClusterKey A = new ClusterKey("job-1", 1, "cj-1-1");
    private static final ClusterKey B = new ClusterKey("job-2", 3, "cj-2-3");

    private final ClusterTracker tracker = new ClusterTracker(new ClusterTracker.Timings(Duration.ofHours(3),
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO));
    private Instant now = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void oneListingIsGroupedPerClusterAndStateChangesAreReportedOnce() {
        tracker.expectLaunch(A, REGION, "us-east-1a", 2, now);
        List<CloudInstance> listing = List.of(node(A, 0, NodeState.RUNNING), node(B, 0, NodeState.PROVISIONING),
                node(A, 1, NodeState.PROVISIONING));

        Map<ClusterKey, ClusterObservation> first = poll(listing);
        assertEquals(ClusterState.PROVISIONING, first.get(A).state());
        assertEquals(2, first.get(A).nodes().size());
        assertEquals(List.of(0), first.get(A).logTargets().stream().map(CloudInstance::nodeRank).toList());
        assertEquals(ClusterState.PROVISIONING, first.get(B).state());
        assertTrue(first.get(A).changed() && first.get(B).changed());

        Map<ClusterKey, ClusterObservation> second = poll(List.of(node(A, 0, NodeState.RUNNING),
                node(A, 1, NodeState.RUNNING), node(B, 0, NodeState.PROVISIONING)));
        assertEquals(ClusterState.RUNNING, second.get(A).state());
        assertTrue(second.get(A).changed());
        assertFalse(second.get(B).changed());
    }

    @Test
    void aRegionHasALiveClusterFromItsLaunchOrItsDiscoveryUntilTheClusterIsGone() {
        assertFalse(tracker.hasLiveClusterIn(REGION));
        tracker.expectLaunch(A, REGION, null, 1, now);
        assertTrue(tracker.hasLiveClusterIn(REGION));
        assertFalse(tracker.hasLiveClusterIn("eu-west-1"));
        poll(List.of(node(A, 0, NodeState.RUNNING), node(B, 0, NodeState.RUNNING)));
        tracker.expectTermination(A, REGION, now);
        poll(List.of(node(A, 0, NodeState.TERMINATED), node(B, 0, NodeState.RUNNING)));
        assertTrue(tracker.hasLiveClusterIn(REGION), "B, found unclaimed, is watched from then on");
        tracker.expectTermination(B, REGION, now);
        poll(List.of(node(A, 0, NodeState.TERMINATED), node(B, 0, NodeState.TERMINATED)));
        assertFalse(tracker.hasLiveClusterIn(REGION));
    }

    @Test
    void allNodesRunningButFewerThanLaunchedIsStillProvisioning() {
        tracker.expectLaunch(A, REGION, null, 2, now);
        assertEquals(ClusterState.PROVISIONING, poll(List.of(node(A, 0, NodeState.RUNNING))).get(A).state());
    }

    @Test
    void requestedTerminationEndsTerminatedAndTheClusterIsForgotten() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        poll(List.of(node(A, 0, NodeState.RUNNING)));
        tracker.expectTermination(A, REGION, now);

        assertEquals(ClusterState.TERMINATING, poll(List.of(node(A, 0, NodeState.TERMINATING))).get(A).state());
        ClusterObservation gone = poll(List.of(node(A, 0, NodeState.TERMINATED))).get(A);
        assertEquals(ClusterState.TERMINATED, gone.state());
        assertTrue(gone.finished());
        assertEquals(0, tracker.liveClusters());
        // the cloud keeps listing terminated instances for a while: they are not reported again
        assertTrue(poll(List.of(node(A, 0, NodeState.TERMINATED))).isEmpty());
    }

    @Test
    void aLiveInstanceUnderAFinishedClustersKeyIsWatchedAgainAndReportedAsNotOurs() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        poll(List.of(node(A, 0, NodeState.RUNNING)));
        tracker.expectTermination(A, REGION, now);
        poll(List.of(node(A, 0, NodeState.TERMINATED)));
        assertEquals(0, tracker.liveClusters());

        ClusterObservation again = poll(List.of(node(A, 0, NodeState.TERMINATED), new CloudInstance("i-new",
                A.jobId(), A.attempt(), A.clusterName(), 0, REGION, "us-east-1a", "t3.micro", false, "10.0.0.9",
                NodeState.RUNNING, false, null))).get(A);
        assertTrue(again.unclaimed());
        assertEquals(1, tracker.liveClusters());
    }

    @Test
    void anInstanceThatAppearsAliveInATerminatingClusterIsTerminatedAtOnce() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        poll(List.of(node(A, 0, NodeState.RUNNING)));
        tracker.expectTermination(A, REGION, now);
        poll(List.of(node(A, 0, NodeState.TERMINATING)));

        CloudInstance madeAgain = new CloudInstance("i-again", A.jobId(), A.attempt(), A.clusterName(), 0, REGION,
                "us-east-1a", "t3.micro", false, "10.0.0.9", NodeState.PROVISIONING, false, null);
        assertTrue(poll(List.of(node(A, 0, NodeState.TERMINATING), madeAgain)).get(A).terminateAgain(),
                "no need to wait terminate-again-after for an instance that was not there when it was asked");
    }

    @Test
    void aClusterDeletedBeforeAnyPollListedItEndsTerminated() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        tracker.expectTermination(A, REGION, now);
        tracker.reported(A, ClusterState.TERMINATING);

        // clouds that delete (GCE, Azure) never list it again
        ClusterObservation gone = poll(List.of()).get(A);
        assertEquals(ClusterState.TERMINATED, gone.state());
        assertTrue(gone.changed() && gone.finished());
        assertEquals(0, tracker.liveClusters());
    }

    @Test
    void aFailedLaunchCleanedUpWithNothingListedReportsNothing() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        tracker.expectTermination(A, REGION, now);

        assertFalse(poll(List.of()).get(A).changed());
    }

    @Test
    void spotInterruptionIsPreemption() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        poll(List.of(node(A, 0, NodeState.RUNNING)));
        CloudInstance reclaimed = new CloudInstance("i-A0", A.jobId(), A.attempt(), A.clusterName(), 0, REGION,
                "us-east-1a", "t3.micro", true, "10.0.0.1", NodeState.TERMINATING, true, "Server.SpotInstanceTermination");

        ClusterObservation seen = poll(List.of(reclaimed)).get(A);

        assertEquals(ClusterState.PREEMPTED, seen.state());
        assertTrue(seen.changed());
    }

    @Test
    void aNodeLostWithoutTerminationIsPreemption() {
        tracker.expectLaunch(A, REGION, null, 2, now);
        poll(List.of(node(A, 0, NodeState.RUNNING), node(A, 1, NodeState.RUNNING)));

        assertEquals(ClusterState.PREEMPTED,
                poll(List.of(node(A, 0, NodeState.RUNNING), node(A, 1, NodeState.TERMINATED))).get(A).state());
    }

    @Test
    void aClusterThatVanishesFromListingsIsLostUnlessItWasBeingTerminated() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        tracker.expectLaunch(B, REGION, null, 1, now);
        poll(List.of(node(A, 0, NodeState.RUNNING), node(B, 0, NodeState.RUNNING)));
        tracker.expectTermination(B, REGION, now);

        Map<ClusterKey, ClusterObservation> seen = poll(List.of());

        assertEquals(ClusterState.PREEMPTED, seen.get(A).state());
        assertEquals(ClusterState.TERMINATED, seen.get(B).state());
        assertEquals(0, tracker.liveClusters());
    }

    @Test
    void aLaunchNotListedYetIsWaitedForThenReportedLost() {
        tracker.expectLaunch(A, REGION, null, 1, now);

        ClusterObservation early = poll(List.of()).get(A);
        assertFalse(early.changed());
        assertFalse(early.finished());

        // launched, never listed since: taken before any poll saw it (a spot VM reclaimed and deleted at once)
        now = now.plus(Duration.ofMinutes(11));
        ClusterObservation late = poll(List.of()).get(A);
        assertTrue(late.changed());
        assertEquals(ClusterState.PREEMPTED, late.state());
        assertTrue(late.finished());
        assertEquals(0, tracker.liveClusters());
    }

    @Test
    void afterARestartAClusterFirstSeenShuttingDownIsTerminatingNotPreempted() {
        assertEquals(ClusterState.TERMINATING, poll(List.of(node(A, 0, NodeState.TERMINATING))).get(A).state());
    }

    @Test
    void aTerminationThatDidNotTakeIsAskedAgain() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        poll(List.of(node(A, 0, NodeState.RUNNING)));
        tracker.expectTermination(A, REGION, now);

        assertFalse(poll(List.of(node(A, 0, NodeState.RUNNING))).get(A).terminateAgain());
        now = now.plusSeconds(31);
        assertTrue(poll(List.of(node(A, 0, NodeState.RUNNING))).get(A).terminateAgain());
    }

    @Test
    void finishedNodesAreNotReadAgainAndOffsetsAreRemembered() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        ClusterObservation first = tracker.observe(REGION, List.of(node(A, 0, NodeState.RUNNING)), now).get(0);
        tracker.commit(first, Map.of(0, new NodeLog(120, true, now, 0)), true, now);

        assertEquals(120, tracker.nodeLog(A, 0).offset());
        ClusterObservation next = tracker.observe(REGION, List.of(node(A, 0, NodeState.RUNNING)), now).get(0);
        assertTrue(next.logTargets().isEmpty());
        assertTrue(next.exitReported());
    }

    @Test
    void nodeAddressesAreToWriteOnceEveryRankIsUpWithAnIpAndAgainOnlyWhenTheyChange() {
        tracker.expectLaunch(A, REGION, null, 3, now);
        assertNull(poll(List.of(node(A, 0, NodeState.RUNNING), node(A, 1, NodeState.PROVISIONING))).get(A).nodeIps(),
                "rank 2 is not listed yet");
        CloudInstance noIp = new CloudInstance("i-x", A.jobId(), A.attempt(), A.clusterName(), 2, REGION, null,
                "t3.micro", false, null, NodeState.PROVISIONING, false, null);
        assertNull(poll(List.of(node(A, 0, NodeState.RUNNING), node(A, 1, NodeState.RUNNING), noIp)).get(A).nodeIps(),
                "rank 2 has no address yet");

        List<CloudInstance> all = List.of(node(A, 2, NodeState.PROVISIONING), node(A, 0, NodeState.RUNNING),
                node(A, 1, NodeState.RUNNING));
        ClusterObservation complete = poll(all).get(A);
        assertEquals("10.0.0.1 10.0.0.2 10.0.0.3", complete.nodeIps(), "rank order, whatever the listing order");
        assertEquals("10.0.0.1 10.0.0.2 10.0.0.3", poll(all).get(A).nodeIps(), "not written yet: asked again");

        tracker.nodeIpsWritten(A, complete.nodeIps());
        assertNull(poll(all).get(A).nodeIps());
    }

    @Test
    void aOneNodeClusterNeedsNoAddressList() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        assertNull(poll(List.of(node(A, 0, NodeState.RUNNING))).get(A).nodeIps());
    }

    @Test
    void aLiveClusterThisProcessDidNotLaunchIsReportedOnceAndALaunchedOneNever() {
        tracker.expectLaunch(A, REGION, null, 1, now);
        Map<ClusterKey, ClusterObservation> first = poll(List.of(node(A, 0, NodeState.RUNNING),
                node(B, 0, NodeState.RUNNING)));
        assertFalse(first.get(A).unclaimed());
        assertTrue(first.get(B).unclaimed());

        assertFalse(poll(List.of(node(B, 0, NodeState.RUNNING))).get(B).unclaimed(), "reported already");
    }

    @Test
    void aControllersClusterIsTrackedLikeAJobsAndFoundAfterARestart() {
        ClusterKey controller = new ClusterKey("controller-1a2b3c4d", 1, "cj-controller-1a2b3c4d-1");

        // this process has no memory of it (it restarted): found on the cloud and reported, as a job's would be
        ClusterObservation found = poll(List.of(node(controller, 0, NodeState.RUNNING))).get(controller);
        assertTrue(found.unclaimed());
        assertEquals(ClusterState.RUNNING, found.state());

        tracker.expectTermination(controller, REGION, now);
        ClusterObservation gone = poll(List.of(node(controller, 0, NodeState.TERMINATED))).get(controller);
        assertEquals(ClusterState.TERMINATED, gone.state());
        assertTrue(gone.finished());
    }

    @Test
    void anUnclaimedClusterIsReportedAgainWhenTheReportWasNotPublished() {
        ClusterObservation unpublished = tracker.observe(REGION, List.of(node(B, 0, NodeState.RUNNING)), now).get(0);
        assertTrue(unpublished.unclaimed());
        assertTrue(poll(List.of(node(B, 0, NodeState.RUNNING))).get(B).unclaimed());
    }

    @Test
    void aGoneOrTerminatedClusterIsNotReported() {
        assertFalse(poll(List.of(node(B, 0, NodeState.TERMINATED))).get(B).unclaimed());
        ClusterKey c = new ClusterKey("job-3", 1, "cj-3-1");
        tracker.expectTermination(c, REGION, now);
        assertFalse(poll(List.of(node(c, 0, NodeState.RUNNING))).get(c).unclaimed(),
                "this process asked to terminate it, so the controller knows it");
    }

    /** One poll whose events were all published: observe, then commit every observation. */
    private Map<ClusterKey, ClusterObservation> poll(List<CloudInstance> listing) {
        List<ClusterObservation> seen = tracker.observe(REGION, listing, now);
        seen.forEach(o -> tracker.commit(o, Map.of(), false, now));
        now = now.plusSeconds(1);
        return seen.stream().collect(java.util.stream.Collectors.toMap(ClusterObservation::key, o -> o));
    }

    private static CloudInstance node(ClusterKey key, int rank, NodeState state) {
        return new CloudInstance("i-" + key.jobId() + "-" + rank, key.jobId(), key.attempt(), key.clusterName(), rank,
                REGION, "us-east-1a", "t3.micro", false, "10.0.0." + (rank + 1), state, false, null);
    }
}

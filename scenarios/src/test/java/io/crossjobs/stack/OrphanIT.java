package io.crossjobs.stack;

import io.crossjobs.events.DeploymentId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing crossjobs tags outlives its job: a provisioner killed right after the cloud created an instance still
 * sees its job end with nothing left; instances made behind the provisioners' back for an unknown job, a
 * finished job or a stale attempt are terminated within a few polls (the provisioner reports the live cluster it
 * did not launch, the controller answers with TerminateCluster), and the job's current cluster is left alone. Another
 * deployment's instances in the same account are not this stack's to judge: they outlive every orphan beside them.
 */
@ExtendWith(LocalStack.class)
class OrphanIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    /** Poll interval 1 s: the report and the terminate command each take about a poll, plus Kafka and boot. */
    private static final Duration ORPHAN_BOUND = Duration.ofSeconds(30);
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @Test
    void aProvisionerKilledRightAfterTheLaunchStillEndsTheJobAndLeavesNothing() throws IOException {
        String id = api.submit("""
                {"name":"crash-after-launch","resources":{"cloud":"aws"},"run":"sleep 3; echo survived"}""");
        await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> !cloud.instancesOf(id).isEmpty());

        LocalStack.stack().restart("provisioner-aws", true, Map.of());

        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertTrue(api.logs(id).contains("survived"), () -> "logs: " + api.logs(id)));
        assertEquals(1, cloud.instancesOf(id).size(), "launched once, not again after the crash");
        // the job ended from the poller's report, but the TerminateCluster command waits for Kafka to hand the
        // killed consumer's partitions to the restarted one (the consumer session timeout, 10 s)
        await().atMost(JOB_TIMEOUT).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "no instance left alive"));
    }

    @Test
    void anInstanceOfAnUnknownJobIsTerminated() throws IOException {
        String job = "orphan-" + UUID.randomUUID().toString().substring(0, 8);
        cloud.runTaggedInstance(job, 1, "cj-" + job + "-1");

        await().atMost(ORPHAN_BOUND).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(job), "the orphan is terminated"));
        String why = "job=" + job + " attempt=1 cloud=aws region=us-east-1 cluster cj-" + job
                + "-1 is an orphan (job is unknown)";
        assertTrue(controllerLog().contains(why), "the controller logs why");
    }

    /**
     * Two deployments share the account (this stack is the default one): team-b's instances, one of a job this stack
     * never heard of and one of a cluster named like an orphan of this stack's (job ids are counted per deployment),
     * outlive the untagged orphan beside them, which the same listing found and the controller terminated.
     */
    @Test
    void anotherDeploymentsInstancesOutliveTheOrphansBesideThem() throws IOException {
        DeploymentId teamB = new DeploymentId("team-b");
        String job = "orphan-" + UUID.randomUUID().toString().substring(0, 8);
        String unknownToUs = "theirs-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> theirs = List.of(cloud.runTaggedInstanceOf(teamB, unknownToUs, 1, "cj-" + unknownToUs + "-1"),
                cloud.runTaggedInstanceOf(teamB, job, 1, "cj-" + job + "-1"));
        String ours = cloud.runTaggedInstance(job, 1, "cj-" + job + "-1");
        try {
            await().atMost(ORPHAN_BOUND).untilAsserted(() -> assertEquals(List.of(theirs.get(1)),
                    cloud.aliveInstancesOf(job).stream().map(i -> i.get("id")).toList(), "only our orphan went"));
            assertTrue(cloud.instancesOf(job).stream().anyMatch(i -> ours.equals(i.get("id"))));
            // a few more polls: nothing of team-b is reported or terminated later
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() ->
                    cloud.aliveInstancesOf(unknownToUs).size() == 1 && cloud.aliveInstancesOf(job).size() == 1);
            assertFalse(controllerLog().contains(unknownToUs), "the controller never heard of team-b's job");
        } finally {
            theirs.forEach(cloud::terminate);
        }
    }

    @Test
    void anInstanceOfAFinishedJobIsTerminatedEvenUnderTheClustersOwnName() {
        String id = api.submit("""
                {"name":"finished","resources":{"cloud":"aws"},"run":"echo done"}""");
        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT));
        await().atMost(ORPHAN_BOUND).until(() -> cloud.aliveInstancesOf(id).isEmpty());
        Map<String, String> tags = MockCloudClient.tags(cloud.instancesOf(id).get(0));

        String again = cloud.runTaggedInstance(id, Integer.parseInt(tags.get(io.crossjobs.events.CloudTags.ATTEMPT)),
                tags.get(io.crossjobs.events.CloudTags.CLUSTER));

        await().atMost(ORPHAN_BOUND).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "the instance made after the job ended is gone"));
        assertTrue(cloud.instancesOf(id).stream().anyMatch(i -> again.equals(i.get("id"))));
    }

    @Test
    void aStaleAttemptIsTerminatedWhileTheJobsCurrentClusterRunsOn() {
        String id = api.submit("""
                {"name":"stale-attempt","resources":{"cloud":"aws"},"run":"sleep 20; echo current attempt done"}""");
        api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);
        String current = (String) cloud.aliveInstancesOf(id).get(0).get("id");

        String stale = cloud.runTaggedInstance(id, 9, "cj-" + id + "-9");

        await().atMost(ORPHAN_BOUND).untilAsserted(() -> assertEquals(List.of(current),
                cloud.aliveInstancesOf(id).stream().map(i -> i.get("id")).toList(), "only the stale one went"));
        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        assertFalse(cloud.instancesOf(id).stream().map(i -> i.get("id")).toList().isEmpty());
        assertTrue(cloud.instancesOf(id).stream().anyMatch(i -> stale.equals(i.get("id"))));
    }

    /** The log of every controller VM this stack ran, rotated files included. */
    private static String controllerLog() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> logs = Files.list(LocalStack.config().logDir())) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("controller-service.log")).toList()) {
                all.append(Files.readString(log));
            }
        }
        return all.toString();
    }
}

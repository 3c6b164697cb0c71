package io.crossjobs.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the controller does when the cloud or the user's code fails, seen from outside. */
@ExtendWith(LocalStack.class)
class RecoveryIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @Test
    void preemptedSpotJobRecoversInAnotherRegionAndSucceeds() {
        String id = api.submit("""
                {"name":"spot","resources":{"cloud":"aws","use_spot":true,"cpus":"2+"},
                 "run":"echo run on $CROSSJOBS_TASK_ID; sleep 4; echo finished"}""");
        api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);
        String firstRegion = api.job(id).getString("region");
        Map<String, Object> vm = cloud.aliveInstancesOf(id).get(0);

        cloud.preempt(String.valueOf(vm.get("id")));

        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        var job = api.job(id);
        assertEquals(1, job.getInt("recoveryCount"));
        assertNotEquals(firstRegion, job.getString("region"), "EAGER_NEXT_REGION leaves the preempted region");
        List<String> statuses = api.events(id).stream().map(e -> String.valueOf(e.get("to"))).toList();
        assertTrue(statuses.contains("RECOVERING"), statuses::toString);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "nothing left behind"));
        assertEquals(2, cloud.instancesOf(id).size(), "one VM per attempt");
    }

    @Test
    void failingRunRestartsUpToTheLimitThenFails() {
        String id = api.submit("""
                {"name":"exit7","resources":{"cloud":"aws","job_recovery":{"max_restarts_on_errors":2}},
                 "run":"echo try; exit 7"}""");

        assertEquals("FAILED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        var job = api.job(id);
        assertEquals(7, job.getInt("exitCode"));
        assertEquals(2, job.getInt("restartCount"));
        assertEquals(3, cloud.instancesOf(id).size(), "the run ran three times");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "nothing left behind"));
    }

    @Test
    void cancelWhileStartingLeavesNoInstance() {
        String id = api.submit("""
                {"name":"cancel-me","resources":{"cloud":"aws"},"run":"sleep 60"}""");
        api.awaitStatus(id, "STARTING", JOB_TIMEOUT);

        api.cancel(id);

        assertEquals("CANCELLED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "no instance left"));
    }
}

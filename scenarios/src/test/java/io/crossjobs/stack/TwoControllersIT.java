package io.crossjobs.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code jobs.controller.replicas: 2}: the keeper keeps two controller VMs, which share the jobs through the Kafka
 * consumer group and the launch queue; no job is launched twice and none is lost, when one VM is lost (the keeper
 * replaces it) and when one is retired with jobs in flight.
 */
@ExtendWith(LocalStack.class)
class TwoControllersIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @Test
    void twoControllerVmsShareTheWorkSurviveALossAndNeverLaunchAJobTwice() throws Exception {
        LocalStack.stack().restart("job-api", false, Map.of("jobs.controller.replicas", "2"));
        try {
            await().atMost(TIMEOUT).until(() -> serving().size() == 2);
            assertEachSucceedsLaunchedOnce(submit("shared", 10));

            List<String> duringLoss = submit("loss", 10);
            await().atMost(TIMEOUT).until(() -> duringLoss.stream()
                    .filter(id -> List.of("STARTING", "RUNNING").contains(api.status(id))).count() >= 3);
            String lost = serving().get(0);
            cloud.preempt(String.valueOf(cloud.instanceOfCluster(lost).get("id")));
            await().atMost(TIMEOUT).until(() -> serving().size() == 2 && !serving().contains(lost));
            assertEachSucceedsLaunchedOnce(duringLoss);
        } finally {
            List<String> handover = submit("handover", 10);
            // one VM is retired with jobs in flight: its partitions move to the other one
            LocalStack.stack().restart("job-api", false, Map.of("jobs.controller.replicas", "1"));
            await().atMost(TIMEOUT).until(() -> serving().size() == 1 && cloud.aliveControllerVms().size() == 1);
            assertEachSucceedsLaunchedOnce(handover);
        }
    }

    private List<String> serving() {
        List<String> serving = new ArrayList<>();
        for (var vm : api.controllerNow().path("vms")) {
            if ("SERVING".equals(vm.path("state").asText())) serving.add(vm.path("clusterName").asText());
        }
        return serving;
    }

    private List<String> submit(String prefix, int count) {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(api.submit("""
                    {"name":"%s-%d","resources":{"cloud":"aws"},"run":"sleep 2; echo %s %d"}"""
                    .formatted(prefix, i, prefix, i)));
        }
        return jobs;
    }

    /** Each job SUCCEEDED on its first attempt, with one VM: the statuses and the inventory read once for all. */
    private void assertEachSucceedsLaunchedOnce(List<String> jobs) {
        Map<String, String> statuses = api.awaitTerminal(jobs, TIMEOUT);
        Map<String, List<Map<String, Object>>> instances = cloud.instancesByJob();
        for (String id : jobs) {
            assertEquals("SUCCEEDED", statuses.get(id), () -> "job " + id + ": " + api.events(id));
            assertEquals(1, instances.getOrDefault(id, List.of()).size(),
                    () -> "job " + id + " launched once: " + api.events(id));
            assertEquals(1, api.job(id).getInt("attempt"));
        }
    }
}

package io.crossjobs.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A two-task pipeline written as SkyPilot task YAML runs its tasks in order, each on its own cluster. */
@ExtendWith(LocalStack.class)
class PipelineIT {
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @Test
    void twoTaskPipelineRunsInOrder() {
        String id = api.submitYaml("""
                name: train-then-eval
                ---
                name: train
                resources:
                  infra: aws/us-east-1
                  cpus: 2+
                envs:
                  EPOCHS: "3"
                run: |
                  echo "train task=$SKYPILOT_TASK_ID epochs=$EPOCHS"
                ---
                name: eval
                resources:
                  cloud: aws
                run: |
                  echo "eval task=$SKYPILOT_TASK_ID"
                """);

        assertEquals("SUCCEEDED", api.awaitTerminal(id, Duration.ofMinutes(3)), () -> "events: " + api.events(id));
        var job = api.job(id);
        assertEquals(2, job.getInt("taskCount"));
        assertEquals(1, job.getInt("taskIndex"), "the last task is the one that finished");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String logs = api.logs(id);
            int train = logs.indexOf("train task=crossjobs-" + id + " epochs=3");
            int eval = logs.indexOf("eval task=");
            assertTrue(train >= 0 && eval > train, () -> "train's output, then eval's: " + logs);
        });

        List<Map<String, Object>> vms = cloud.instancesOf(id).stream()
                .sorted(Comparator.comparing(vm -> String.valueOf(vm.get("launchTime")))).toList();
        assertEquals(2, vms.size(), "one cluster per task");
        assertEquals("us-east-1", vms.get(0).get("region"), "train honours infra: aws/us-east-1");
        Instant firstTaskDone = api.events(id).stream()
                .filter(e -> String.valueOf(e.get("reason")).startsWith("task 1 of 2 succeeded"))
                .map(e -> Instant.parse(String.valueOf(e.get("at")))).findFirst().orElseThrow();
        assertTrue(Instant.parse(String.valueOf(vms.get(1).get("launchTime"))).isAfter(firstTaskDone),
                "eval's VM is launched only after train succeeded");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "nothing left behind"));
    }
}

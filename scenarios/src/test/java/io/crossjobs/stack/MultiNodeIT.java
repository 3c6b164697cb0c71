package io.crossjobs.stack;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A multi-node job: every node learns every node's address, head first, from its own cloud metadata (the
 * provisioner writes them there once all nodes have private IPs; nodes never call the control plane).
 */
@ExtendWith(LocalStack.class)
class MultiNodeIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @ParameterizedTest
    @ValueSource(strings = {"aws", "gcp", "azure"})
    void everyNodeSeesAllAddressesInRankOrder(String cloudName) {
        // the head keeps the cluster up until the test has read every node's output, then the job is cancelled
        String id = api.submitYaml("""
                name: multinode-%s
                resources:
                  cloud: %s
                num_nodes: 3
                run: |
                  same=no; [ "$SKYPILOT_NODE_IPS" = "$CROSSJOBS_NODE_IPS" ] && same=yes
                  echo "node $SKYPILOT_NODE_RANK of $SKYPILOT_NUM_NODES sees $(printf '%%s' "$SKYPILOT_NODE_IPS" | tr '\\n' ,) same=$same"
                  if [ "$SKYPILOT_NODE_RANK" = 0 ]; then sleep 600; fi
                """.formatted(cloudName, cloudName));

        api.awaitStatus(id, "RUNNING", JOB_TIMEOUT);
        await().atMost(JOB_TIMEOUT).until(() -> cloud.instancesOf(id).size() == 3);
        List<Map<String, Object>> nodes = cloud.instancesOf(id).stream()
                .sorted(Comparator.comparingInt(n -> Integer.parseInt(MockCloudClient.tags(n)
                        .get(io.crossjobs.events.CloudTags.NODE_RANK)))).toList();
        String ips = nodes.stream().map(n -> (String) n.get("privateIp")).collect(Collectors.joining(","));

        // the job's logs are the head node's by default; each worker's are asked for by its rank
        await().atMost(JOB_TIMEOUT).untilAsserted(() -> assertTrue(
                api.logs(id).contains("node 0 of 3 sees " + ips + " same=yes\n"), () -> "logs: " + api.logs(id)));
        for (int rank = 1; rank < 3; rank++) {
            int node = rank;
            String line = "node " + rank + " of 3 sees " + ips + " same=yes\n";
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertTrue(api.logs(id, node).contains(line), () -> "logs of node " + node + ": " + api.logs(id, node)));
        }
        assertEquals(3, cloud.instancesOf(id).size(), "three VMs, no more");

        api.cancel(id);
        assertEquals("CANCELLED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "every VM is gone after the job"));
    }
}

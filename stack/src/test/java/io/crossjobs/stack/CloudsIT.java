package io.crossjobs.stack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same job on each cloud's real SDK against mock-cloud, and failover away from a zone out of capacity. */
@ExtendWith(LocalStack.class)
class CloudsIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @AfterEach
    void clearFaults() {
        cloud.clearFaults();
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "gcp", "azure"})
    void helloRunsOnEachCloud(String cloudName) {
        String id = api.submit("""
                {"name":"hello-%s","resources":{"cloud":"%s"},"run":"echo hello from $CROSSJOBS_JOB_ID on %s"}"""
                .formatted(cloudName, cloudName, cloudName));

        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        assertEquals(cloudName, api.job(id).getString("cloud"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(
                api.logs(id).contains("hello from " + id + " on " + cloudName), () -> "logs: " + api.logs(id)));
        assertEquals(1, cloud.instancesOf(id).size(), "one VM launched");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "the VM is gone after the job"));
    }

    @Test
    void capacityErrorInOneZoneLandsTheJobInAnother() {
        String spec = """
                {"name":"failover","resources":{"cloud":"aws","region":"us-east-1","cpus":"2+"},"run":"echo landed"}""";
        // the optimizer is deterministic: a first job shows which zone the second will be sent to first
        String probe = api.submit(spec);
        assertEquals("SUCCEEDED", api.awaitTerminal(probe, JOB_TIMEOUT));
        String firstChoice = api.job(probe).getString("zone");
        cloud.failLaunches("aws", firstChoice, "InsufficientInstanceCapacity", 50);

        String id = api.submit(spec);

        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> "events: " + api.events(id));
        var job = api.job(id);
        assertNotEquals(firstChoice, job.getString("zone"));
        assertEquals("us-east-1", job.getString("region"));
        assertEquals(2, job.getInt("attempt"));
        List<Map<String, Object>> events = api.events(id);
        assertTrue(events.stream().anyMatch(e -> String.valueOf(e.get("reason")).contains("CAPACITY")),
                () -> "a history entry names the capacity error: " + events);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "nothing left behind"));
    }
}

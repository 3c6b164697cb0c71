package io.crossjobs.stack;

import io.crossjobs.catalog.PriceCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A job in every catalog region of each cloud, on its real SDK against mock-cloud, and failover away from a zone out of capacity. */
@ExtendWith(LocalStack.class)
class CloudsIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @AfterEach
    void clearFaults() {
        cloud.clearFaults();
    }

    /**
     * Every region of the price catalog, on each cloud, with the provisioners' default settings: the region's own
     * image and network, made or found as a real account would need them. The jobs run side by side.
     */
    @Test
    void aJobPlacedInEachCatalogRegionOfEachCloudRunsThere() {
        Map<String, String> jobs = new TreeMap<>();
        for (String cloudRegion : catalogRegions()) {
            String[] cr = cloudRegion.split("/");
            jobs.put(cloudRegion, api.submit("""
                    {"name":"hello-%s-%s","resources":{"cloud":"%s","region":"%s"},"run":"echo hello from $CROSSJOBS_JOB_ID in %s"}"""
                    .formatted(cr[0], cr[1], cr[0], cr[1], cloudRegion)));
        }
        System.out.printf("CloudsIT: one job in each of %d catalog regions: %s%n", jobs.size(), jobs.keySet());
        assertEquals(12, jobs.size(), "aws 4, gcp 5, azure 3 regions: " + jobs.keySet());

        jobs.forEach((cloudRegion, id) -> {
            assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT), () -> cloudRegion + ": " + api.events(id));
            assertEquals(cloudRegion, api.job(id).getString("cloud") + "/" + api.job(id).getString("region"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(
                    api.logs(id).contains("hello from " + id + " in " + cloudRegion), () -> "logs: " + api.logs(id)));
            assertEquals(1, cloud.instancesOf(id).size(), cloudRegion + ": one VM launched");
        });
        jobs.forEach((cloudRegion, id) -> await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), cloudRegion + ": the VM is gone after the job")));
    }

    private static Set<String> catalogRegions() {
        return PriceCatalog.fromClasspath(List.of("catalog/aws.csv", "catalog/gcp.csv", "catalog/azure.csv")).offers()
                .stream().map(o -> o.cloud() + "/" + o.region()).collect(Collectors.toCollection(TreeSet::new));
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

package io.crossjobs.stack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One job travels the whole line: REST → Kafka → controller → provisioner-aws → mock EC2 and back. */
@ExtendWith(LocalStack.class)
class WalkingSkeletonIT {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static StatusSubscriber subscriber;
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @BeforeAll
    static void subscribe() {
        subscriber = new StatusSubscriber(LocalStack.config().kafkaBootstrap());
    }

    @AfterAll
    static void unsubscribe() throws InterruptedException {
        subscriber.close();
    }

    @Test
    void theServicesBehindKafkaRunAtALowerCpuPriorityThanJobApi() throws Exception {
        Map<String, Integer> nice = new java.util.HashMap<>();
        for (var p : LocalStack.stack().processes()) nice.put(p.name(), niceOf(p.pid()));
        // the controller is the process of a mock VM, so it inherits mock-cloud's priority
        nice.put("controller-service", niceOf(LocalStack.stack().controllerView().awaitServing(JOB_TIMEOUT).pid()));
        assertEquals(0, nice.get("job-api"));
        int background = LocalStack.config().backgroundNiceness();   // 19 unless CROSSJOBS_BACKGROUND_NICE says otherwise
        assertEquals(background, nice.get("controller-service"));
        assertEquals(background, nice.get("provisioner-aws"));
        assertEquals(background, nice.get("mock-cloud"));
    }

    /** /proc/&lt;pid&gt;/stat: the 19th field is the nice value; the command (2nd) is in parentheses. */
    private static int niceOf(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid + "", "stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    @Test
    void helloJobSucceedsWithItsOutputInTheLogs() {
        String id = api.submit("""
                {"name":"hello","resources":{"cloud":"aws","cpus":"2+"},"run":"echo hello from $CROSSJOBS_JOB_ID"}""");

        assertEquals("SUCCEEDED", api.awaitTerminal(id, JOB_TIMEOUT));
        var job = api.job(id);
        assertEquals("hello", job.getString("name"));
        assertEquals("aws", job.getString("cloud"));
        assertFalse(job.getString("region").isBlank());
        assertFalse(job.getString("instanceType").isBlank());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertTrue(api.logs(id).contains("hello from " + id), () -> "logs: " + api.logs(id)));

        List<String> history = api.events(id).stream().map(e -> String.valueOf(e.get("to"))).toList();
        assertEquals(List.of("PENDING", "STARTING", "RUNNING", "SUCCEEDED"), history);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertEquals(List.of("PENDING", "STARTING", "RUNNING", "SUCCEEDED"), subscriber.statusesOf(id));
            subscriber.of(id).forEach(e -> {
                assertEquals("crossjobs.job.status-changed.v1", e.ceType());
                assertEquals(id, e.ceSubject());
            });
        });
        assertEquals(1, cloud.instancesOf(id).size(), "one instance launched");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "the VM is terminated after the job"));
    }

    @Test
    void failingJobEndsFailedWithItsExitCode() {
        String id = api.submit("""
                {"name":"fails","resources":{"cloud":"aws"},"run":"echo about to fail; exit 3"}""");

        assertEquals("FAILED", api.awaitTerminal(id, JOB_TIMEOUT));
        assertEquals(3, api.job(id).getInt("exitCode"));
        List<Map<String, Object>> events = api.events(id);
        Map<String, Object> last = events.get(events.size() - 1);
        assertEquals("FAILED", last.get("to"));
        assertEquals(3, ((Number) last.get("exitCode")).intValue());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertTrue(api.logs(id).contains("about to fail"), () -> "logs: " + api.logs(id)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertEquals(List.of(), cloud.aliveInstancesOf(id), "the VM is terminated after the job"));
    }
}

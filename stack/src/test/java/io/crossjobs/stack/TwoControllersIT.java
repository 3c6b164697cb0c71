package io.crossjobs.stack;

import io.crossjobs.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two controller-service processes on one database share the jobs through the Kafka consumer group and the
 * launch queue; no job is launched twice, none is lost, also when one of them leaves with jobs in flight.
 */
@ExtendWith(LocalStack.class)
class TwoControllersIT {
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @Test
    void twoControllersShareTheWorkAndNeverLaunchAJobTwice() throws Exception {
        LocalStack.stack().startReplica("controller-service", "controller-service-2", Ports.free());
        try {
            assertEachSucceedsLaunchedOnce(submit("shared", 10));

            List<String> inFlight = submit("handover", 10);
            await().atMost(Duration.ofMinutes(2)).until(() -> inFlight.stream()
                    .filter(id -> List.of("STARTING", "RUNNING").contains(api.job(id).getString("status"))).count() >= 3);
            // the second controller leaves with jobs in flight: its partitions move to the first one
            LocalStack.stack().stopReplica("controller-service-2");
            assertEachSucceedsLaunchedOnce(inFlight);
        } finally {
            LocalStack.stack().stopReplica("controller-service-2");
        }
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

    private void assertEachSucceedsLaunchedOnce(List<String> jobs) {
        for (String id : jobs) {
            assertEquals("SUCCEEDED", api.awaitTerminal(id, Duration.ofMinutes(3)), () -> "job " + id + ": " + api.events(id));
            assertEquals(1, cloud.instancesOf(id).size(), () -> "job " + id + " launched once: " + api.events(id));
            assertEquals(1, api.job(id).getInt("attempt"));
        }
    }
}

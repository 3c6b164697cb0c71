package io.crossjobs.stack;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The controller's placement ({@code jobs.controller.resources.*}): recorded at first start, a later change
 * reported and ignored, and an explicit migration that keeps every in-flight job going.
 */
@ExtendWith(LocalStack.class)
class ControllerPlacementIT {
    private final JobApiClient api = JobApiClient.asAdmin();

    @Test
    void aChangedPlacementOnRestartIsReportedAndIgnoredThenAMigrationMovesTwentyJobsWithoutLosingOne()
            throws Exception {
        JsonPath before = api.controller();
        String effectiveCloud = before.getString("effective.cloud");

        LocalStack.stack().restart("controller-service", false, Map.of(
                "jobs.controller.resources.cloud", "gcp", "jobs.controller.resources.region", "us-central1"));

        JsonPath after = api.controller();
        assertEquals("gcp", after.getString("configured.cloud"));
        assertEquals(effectiveCloud, after.getString("effective.cloud"), "a restart does not move the controller");
        assertTrue(after.getBoolean("mismatch"));
        assertTrue(after.getString("message").toLowerCase().contains("no effect"), after.prettify());

        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(api.submit("""
                    {"name":"inflight-%d","resources":{"cloud":"aws"},"run":"sleep 3; echo done %d"}""".formatted(i, i)));
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> jobs.stream()
                .filter(id -> List.of("STARTING", "RUNNING").contains(api.job(id).getString("status"))).count() >= 5);

        api.migrateController("gcp", "us-central1");
        // the new placement's controller takes over from the old one: same database, same consumer group
        LocalStack.stack().restart("controller-service", true, Map.of());

        JsonPath migrated = api.controller();
        assertEquals("gcp", migrated.getString("effective.cloud"));
        assertEquals("us-central1", migrated.getString("effective.region"));
        for (String id : jobs) {
            assertEquals("SUCCEEDED", api.awaitTerminal(id, Duration.ofMinutes(3)), () -> "job " + id + ": " + api.events(id));
            var job = api.job(id);
            assertEquals(1, job.getInt("attempt"), () -> "job " + id + " was not relaunched: " + api.events(id));
            assertEquals(0, job.getInt("recoveryCount"));
        }
    }
}

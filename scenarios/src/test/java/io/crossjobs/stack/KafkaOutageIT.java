package io.crossjobs.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A submission made while Kafka is down is accepted, kept, and runs once Kafka is back. */
@ExtendWith(LocalStack.class)
class KafkaOutageIT {
    private final JobApiClient api = JobApiClient.asAdmin();
    private final MockCloudClient cloud = new MockCloudClient(LocalStack.config());

    @Test
    void jobSubmittedWhileKafkaIsDownRunsWhenItIsBack() throws Exception {
        LocalStack.stack().stopKafka(true);
        String id;
        try {
            id = api.submit("""
                    {"name":"outage","resources":{"cloud":"aws"},"run":"echo survived the outage"}""");
            assertEquals("PENDING", api.status(id));
        } finally {
            LocalStack.stack().startKafkaAgain();
        }

        assertEquals("SUCCEEDED", api.awaitTerminal(id, Duration.ofMinutes(3)), () -> "events: " + api.events(id));
        assertEquals(1, cloud.instancesOf(id).size(), "launched once");
        List<String> history = api.events(id).stream().map(e -> String.valueOf(e.get("to"))).toList();
        assertEquals(List.of("PENDING", "STARTING", "RUNNING", "SUCCEEDED"), history);
    }
}

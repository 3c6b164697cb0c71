package io.crossjobs.jobapi.messaging;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.crossjobs.jobapi.TestEvents.header;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rows no submit-time trigger announced — left by a process that stopped before publishing, or written
 * while Kafka was down — are published by the relay's timer, in id order, under their stored event ids.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class OutboxRelayTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    AgroalDataSource db;

    @Test
    void leftOverRowsArePublishedInOrderWithTheirOwnIds() throws Exception {
        String jobId = "left-over-" + UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        insertOutboxRow(first, new CancelRequested(jobId, "first", Instant.parse("2026-11-28T10:00:00Z")));
        insertOutboxRow(second, new CancelRequested(jobId, "second", Instant.parse("2026-11-28T10:00:01Z")));

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, jobId, 2);
        assertEquals(List.of(first.toString(), second.toString()),
                records.stream().map(r -> header(r, "ce_id")).toList());
        assertEquals("second", ((CancelRequested) EventCodec.decode(header(records.get(1), "ce_type"),
                records.get(1).value())).requestedBy());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(0, TestEvents.count(db,
                "select count(*) from outbox where job_id = '" + jobId + "' and published_at is null")));
    }

    private void insertOutboxRow(UUID eventId, CancelRequested event) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "insert into outbox (event_id, event_type, job_id, payload, created_at) values (?, ?, ?, ?, now())")) {
            s.setObject(1, eventId);
            s.setString(2, "crossjobs.job.cancel-requested.v1");
            s.setString(3, event.jobId());
            s.setString(4, EventCodec.encode(event));
            s.executeUpdate();
        }
    }
}

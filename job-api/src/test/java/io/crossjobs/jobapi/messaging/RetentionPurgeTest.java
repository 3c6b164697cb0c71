package io.crossjobs.jobapi.messaging;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.service.messaging.RetentionPurge;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Published outbox rows go after a day, inbox ids after eight; unpublished rows and recent ids stay. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class RetentionPurgeTest {
    // the real now: the relay may publish the unpublished row during the test, stamping it with the real time
    private static final Instant NOW = Instant.now();

    @Inject
    AgroalDataSource db;

    @Inject
    RetentionPurge purge;

    @Test
    void deletesOnlyWhatIsPastItsRetention() {
        String job = "purge-" + UUID.randomUUID();
        outboxRow(job, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofHours(25)));   // published, old: goes
        outboxRow(job, NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofHours(23)));   // published, recent
        outboxRow(job, NOW.minus(Duration.ofDays(30)), null);                             // never published
        inboxRow(job + "-old", NOW.minus(Duration.ofDays(9)));                            // goes
        inboxRow(job + "-recent", NOW.minus(Duration.ofDays(7)));

        purge.purgeAt(NOW).await().atMost(Duration.ofSeconds(30));

        assertEquals(2, count("select count(*) from outbox where job_id = '" + job + "'"));
        assertEquals(0, count("select count(*) from outbox where job_id = '" + job + "' and published_at < '"
                + Timestamp.from(NOW.minus(Duration.ofHours(24))) + "'"));
        assertEquals(1, count("select count(*) from inbox where event_id like '" + job + "%'"));
        assertEquals(1, count("select count(*) from inbox where event_id = '" + job + "-recent'"));
    }

    private long count(String sql) {
        try {
            return TestEvents.count(db, sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void outboxRow(String job, Instant created, Instant published) {
        sql("insert into outbox (event_id, event_type, job_id, payload, created_at, published_at) "
                + "values (?, 'crossjobs.job.cancel-requested.v1', ?, '{}', ?, ?)", UUID.randomUUID().toString(), job,
                Timestamp.from(created), published == null ? null : Timestamp.from(published));
    }

    private void inboxRow(String eventId, Instant received) {
        sql("insert into inbox (event_id, event_type, processed_at) values (?, 'crossjobs.job.status-changed.v1', ?)",
                eventId, Timestamp.from(received));
    }

    private void sql(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) s.setObject(i + 1, params[i]);
            s.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.crossjobs.jobapi.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.FileMount;
import io.crossjobs.events.Resources;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which uploads retention deletes: one no submission named within the retention and no job uses; never one an
 * unfinished job names, nor one a job that ended within the retention used. (The delete itself is a signed DELETE
 * the store's provisioner signs: ObjectStoreContract shows it on each cloud.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class ArchiveRetentionTest {
    @Inject
    AgroalDataSource db;

    @Inject
    ArchiveRepository archives;

    private static final Duration RETENTION = Duration.ofDays(7);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Long> jobs = new java.util.ArrayList<>();

    /** The jobs made here are not real submissions: other tests list jobs from the same database. */
    @org.junit.jupiter.api.AfterEach
    void removeJobs() throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("delete from jobs where id = ?")) {
            for (long id : jobs) {
                s.setLong(1, id);
                s.executeUpdate();
            }
        }
    }

    @Test
    void onlyUploadsNoJobUsesWithinTheRetentionAreDue() throws Exception {
        Instant now = Instant.now();
        String unused = upload(now.minus(Duration.ofDays(30)));
        String recent = upload(now.minus(Duration.ofDays(1)));
        String ofRunningJob = upload(now.minus(Duration.ofDays(30)));
        String ofJobEndedYesterday = upload(now.minus(Duration.ofDays(30)));
        String ofJobEndedLongAgo = upload(now.minus(Duration.ofDays(30)));
        job(ofRunningJob, null);
        job(ofJobEndedYesterday, now.minus(Duration.ofDays(1)));
        job(ofJobEndedLongAgo, now.minus(Duration.ofDays(20)));

        List<String> due = archives.unusedSince(now.minus(RETENTION), 10_000).await().indefinitely().stream()
                .map(Archive::digest).toList();

        assertTrue(due.contains(unused), due::toString);
        assertTrue(due.contains(ofJobEndedLongAgo), due::toString);
        assertFalse(due.contains(recent), "named within the retention");
        assertFalse(due.contains(ofRunningJob), "an unfinished job names it");
        assertFalse(due.contains(ofJobEndedYesterday), "a job that used it ended within the retention");

        archives.delete(unused, now.minus(RETENTION)).await().indefinitely();
        archives.delete(recent, now.minus(RETENTION)).await().indefinitely();
        List<String> left = archives.find(List.of(unused, recent)).await().indefinitely().stream()
                .map(Archive::digest).toList();
        assertTrue(left.equals(List.of(recent)), "a delete spares an upload used since: " + left);
    }

    private String upload(Instant lastUsed) throws Exception {
        String digest = "sha256:" + UUID.randomUUID().toString().replace("-", "").repeat(2);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("insert into archives "
                + "(digest, bytes, object_uri, uploaded_by, uploaded_at, last_used_at) values (?, 10, ?, 'u', ?, ?)")) {
            s.setString(1, digest);
            s.setString(2, "gs://store/" + ArchiveStore.FOLDER + digest.substring(7));
            s.setObject(3, lastUsed.atOffset(java.time.ZoneOffset.UTC));
            s.setObject(4, lastUsed.atOffset(java.time.ZoneOffset.UTC));
            s.executeUpdate();
        }
        return digest;
    }

    /** A job whose task names the upload's object, ended at {@code endedAt} (null: still running). */
    private void job(String digest, Instant endedAt) throws Exception {
        long id = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1_000_000_000L;
        jobs.add(id);
        TaskSpec task = new TaskSpec("j", Resources.builder().build(), 1, Map.of(), Map.of(), null, "true",
                List.of(new FileMount(FileMount.WORKDIR, FileMount.Source.ARCHIVE,
                        "gs://store/" + ArchiveStore.FOLDER + digest.substring(7), 10)));
        String taskJson = JSON.writeValueAsString(task);
        String tasks = JSON.writeValueAsString(List.of(task));
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("insert into jobs (id, name, "
                + "owner, status, task_json, tasks_json, submitted_at, status_changed_at, ended_at) values (?, 'j', 'u', "
                + "?, ?, ?, now(), now(), ?)")) {
            s.setLong(1, id);
            s.setString(2, endedAt == null ? "RUNNING" : "SUCCEEDED");
            s.setString(3, taskJson);
            s.setString(4, tasks);
            s.setObject(5, endedAt == null ? null : endedAt.atOffset(java.time.ZoneOffset.UTC));
            s.executeUpdate();
        }
    }
}

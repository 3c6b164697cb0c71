package io.crossjobs.jobapi.service;

import io.crossjobs.events.LogChunk;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the shipped console output, so logs outlive the cluster (and the provisioner that read them). Chunks are
 * most of what job-logs carries, so each is one statement on the SQL client.
 */
@ApplicationScoped
public class JobLogStore {
    private static final Logger LOG = Logger.getLogger(JobLogStore.class);
    /**
     * Stores the chunk unless the job is unknown or the same chunk is stored already. A chunk re-shipped from the
     * same offset with more text (the provisioner read further before it restarted) replaces the shorter one:
     * output is append-only, so the longer text starts with the shorter.
     */
    private static final String INSERT_IF_ABSENT = """
            insert into job_log_chunks (job_id, attempt, node_rank, byte_offset, text, received_at)
            select #{jobId}::bigint, #{attempt}::int, #{nodeRank}::int, #{offset}::bigint, #{text}::text,
                   #{receivedAt}::timestamptz
            where exists (select 1 from jobs where id = #{jobId})
            on conflict (job_id, attempt, node_rank, byte_offset) do update
            set text = excluded.text, received_at = excluded.received_at
            where octet_length(excluded.text) > octet_length(job_log_chunks.text)""";

    private final Pool pool;

    public JobLogStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * PostgreSQL text cannot hold a NUL character, and a job may well print one: each becomes SUB (U+001A, the
     * control character meant for a character that cannot be shown), one byte like NUL, so offsets stay right.
     */
    static String storable(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\u001A');
    }

    /** Returns whether a row was written. */
    public Uni<Boolean> store(LogChunk chunk) {
        Optional<Long> id = JobIds.parse(chunk.jobId());
        if (id.isEmpty() || chunk.text() == null || chunk.offset() < 0) {
            LOG.warnf("job=%s attempt=%d node=%d log chunk at offset %d not storable, ignored", chunk.jobId(),
                    chunk.attempt(), chunk.nodeRank(), chunk.offset());
            return Uni.createFrom().item(false);
        }
        Map<String, Object> parameters = Map.of("jobId", id.get(), "attempt", chunk.attempt(),
                "nodeRank", chunk.nodeRank(), "offset", chunk.offset(), "text", storable(chunk.text()),
                "receivedAt", Instant.now().atOffset(ZoneOffset.UTC));
        return pool.withConnection(c -> SqlTemplate.forUpdate(c, INSERT_IF_ABSENT).execute(parameters))
                .map(r -> r.rowCount() == 1)
                .invoke(inserted -> {
                    if (!inserted) {
                        LOG.debugf("job=%s attempt=%d node=%d log chunk at offset %d already stored or job unknown",
                                chunk.jobId(), chunk.attempt(), chunk.nodeRank(), chunk.offset());
                    }
                });
    }
}

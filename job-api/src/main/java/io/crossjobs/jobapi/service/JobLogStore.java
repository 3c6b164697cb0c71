package io.crossjobs.jobapi.service;

import io.crossjobs.events.LogChunk;
import io.crossjobs.jobapi.config.LimitsConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
     * Stores the chunk unless the job is unknown, the same chunk is stored already, or the job's output is capped. A
     * chunk re-shipped from the same offset with more text (the provisioner read further before it restarted) replaces
     * the shorter one: output is append-only, so the longer text starts with the shorter. {@code jobs.log_bytes} keeps
     * what the job's chunks hold (a replaced chunk counts its new length). A chunk that would take it over
     * {@code maxBytes} caps the job: that chunk and every later one are not stored, so the job keeps the start of its
     * output, and {@code log_capped_at} is set. One job's chunks are stored one at a time (job-logs is keyed by job id
     * and read in order), and the counter is updated in the statement that stores the chunk.
     */
    private static final String INSERT_IF_ABSENT = """
            with job as (select log_bytes, log_capped_at from jobs where id = #{jobId}),
            old as (
                select octet_length(text) as length from job_log_chunks
                where job_id = #{jobId} and attempt = #{attempt} and node_rank = #{nodeRank}
                  and byte_offset = #{offset}),
            fits as (
                select log_capped_at is null
                       and log_bytes - coalesce((select length from old), 0) + octet_length(#{text}::text) <= #{maxBytes}
                       as ok
                from job),
            stored as (
                insert into job_log_chunks (job_id, attempt, node_rank, byte_offset, text, received_at)
                select #{jobId}::bigint, #{attempt}::int, #{nodeRank}::int, #{offset}::bigint, #{text}::text,
                       #{receivedAt}::timestamptz
                where (select ok from fits)
                on conflict (job_id, attempt, node_rank, byte_offset) do update
                set text = excluded.text, received_at = excluded.received_at
                where octet_length(excluded.text) > octet_length(job_log_chunks.text)
                returning octet_length(text) as length),
            counted as (
                update jobs set
                    log_bytes = log_bytes + coalesce((select length from stored), 0)
                        - case when exists (select 1 from stored) then coalesce((select length from old), 0) else 0 end,
                    log_capped_at = case when (select ok from fits) then log_capped_at else #{receivedAt} end
                where id = #{jobId}
                  and (exists (select 1 from stored) or (not (select ok from fits) and log_capped_at is null))
                returning log_capped_at is not null as capped)
            select (select count(*) from stored) as stored,
                   (select count(*) from counted where capped) as capped""";

    private final Pool pool;
    private final LimitsConfig limits;

    public JobLogStore(Pool pool, LimitsConfig limits) {
        this.pool = pool;
        this.limits = limits;
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
                "receivedAt", Instant.now().atOffset(ZoneOffset.UTC), "maxBytes", limits.logMaxBytes());
        return pool.withConnection(c -> SqlTemplate.forQuery(c, INSERT_IF_ABSENT).execute(parameters))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    if (r.getLong("capped") == 1) {
                        LOG.warnf("job=%s attempt=%d node=%d output reached jobapi.limits.log-max-bytes (%d bytes): "
                                + "the chunk at offset %d and every later one are not stored", chunk.jobId(),
                                chunk.attempt(), chunk.nodeRank(), limits.logMaxBytes(), chunk.offset());
                    }
                    return r.getLong("stored") == 1;
                })
                .invoke(inserted -> {
                    if (!inserted) {
                        LOG.debugf("job=%s attempt=%d node=%d log chunk at offset %d already stored, job unknown or "
                                + "its output capped", chunk.jobId(), chunk.attempt(), chunk.nodeRank(), chunk.offset());
                    }
                });
    }
}

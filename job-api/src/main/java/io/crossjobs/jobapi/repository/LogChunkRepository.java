package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.LogChunkKey;
import io.crossjobs.jobapi.model.StoredLogChunk;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class LogChunkRepository implements PanacheRepositoryBase<StoredLogChunk, LogChunkKey> {

    /**
     * Stores the chunk unless the job is unknown or the same chunk is stored already. A chunk re-shipped
     * from the same offset with more text (the provisioner read further before it restarted) replaces the
     * shorter one: output is append-only, so the longer text starts with the shorter. Returns whether a
     * row was written.
     */
    public Uni<Boolean> insertIfAbsent(long jobId, int attempt, int nodeRank, long offset, String text, Instant at) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "insert into job_log_chunks (job_id, attempt, node_rank, byte_offset, text, received_at) "
                                + "select :job, :attempt, :rank, :offset, :text, :at "
                                + "where exists (select 1 from jobs where id = :job) "
                                + "on conflict (job_id, attempt, node_rank, byte_offset) do update "
                                + "set text = excluded.text, received_at = excluded.received_at "
                                + "where octet_length(excluded.text) > octet_length(job_log_chunks.text)")
                .setParameter("job", jobId)
                .setParameter("attempt", attempt)
                .setParameter("rank", nodeRank)
                .setParameter("offset", offset)
                .setParameter("text", text)
                .setParameter("at", at)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** All chunks of one node, attempts in order, each attempt's chunks by offset. */
    public Uni<List<StoredLogChunk>> ofNode(long jobId, int nodeRank) {
        return list("key.jobId = ?1 and key.nodeRank = ?2",
                Sort.ascending("key.attempt").and("key.byteOffset"), jobId, nodeRank);
    }
}

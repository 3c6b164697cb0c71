package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.LogChunkKey;
import io.crossjobs.jobapi.model.StoredLogChunk;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class LogChunkRepository implements PanacheRepositoryBase<StoredLogChunk, LogChunkKey> {

    /** All chunks of one node, attempts in order, each attempt's chunks by offset. */
    public Uni<List<StoredLogChunk>> ofNode(long jobId, int nodeRank) {
        return list("key.jobId = ?1 and key.nodeRank = ?2",
                Sort.ascending("key.attempt").and("key.byteOffset"), jobId, nodeRank);
    }

    /** The chunks of one node stored (or replaced by a longer one) at or after {@code since}. */
    public Uni<List<StoredLogChunk>> ofNodeSince(long jobId, int nodeRank, Instant since) {
        return list("key.jobId = ?1 and key.nodeRank = ?2 and receivedAt >= ?3",
                Sort.ascending("key.attempt").and("key.byteOffset"), jobId, nodeRank, since);
    }
}

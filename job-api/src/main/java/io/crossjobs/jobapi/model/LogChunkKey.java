package io.crossjobs.jobapi.model;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.io.Serializable;
import java.util.Objects;

/** A chunk is identified by where it starts: a re-shipped chunk from the same offset is the same chunk. */
@Embeddable
public class LogChunkKey implements Serializable {

    @Column(name = "job_id")
    public Long jobId;

    public int attempt;

    @Column(name = "node_rank")
    public int nodeRank;

    @Column(name = "byte_offset")
    public long byteOffset;

    @Override
    public boolean equals(Object o) {
        return o instanceof LogChunkKey k && Objects.equals(jobId, k.jobId) && attempt == k.attempt
                && nodeRank == k.nodeRank && byteOffset == k.byteOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, attempt, nodeRank, byteOffset);
    }
}

package io.crossjobs.jobapi.model;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/** A piece of one node's console output of one attempt, as shipped by a provisioner. */
@Entity
@Table(name = "job_log_chunks")
public class StoredLogChunk {

    @EmbeddedId
    public LogChunkKey key;

    public String text;

    @Column(name = "received_at")
    public Instant receivedAt;
}

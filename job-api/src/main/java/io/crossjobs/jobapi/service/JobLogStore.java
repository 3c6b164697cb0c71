package io.crossjobs.jobapi.service;

import io.crossjobs.events.LogChunk;
import io.crossjobs.jobapi.repository.LogChunkRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/** Keeps the shipped console output, so logs outlive the cluster (and the provisioner that read them). */
@ApplicationScoped
public class JobLogStore {
    private static final Logger LOG = Logger.getLogger(JobLogStore.class);

    private final LogChunkRepository chunks;

    public JobLogStore(LogChunkRepository chunks) {
        this.chunks = chunks;
    }

    /**
     * PostgreSQL text cannot hold a NUL character, and a job may well print one: each becomes SUB (U+001A, the
     * control character meant for a character that cannot be shown), one byte like NUL, so offsets stay right.
     */
    static String storable(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\u001A');
    }

    @WithTransaction
    public Uni<Boolean> store(LogChunk chunk) {
        Optional<Long> id = JobIds.parse(chunk.jobId());
        if (id.isEmpty() || chunk.text() == null || chunk.offset() < 0) {
            LOG.warnf("job=%s attempt=%d node=%d log chunk at offset %d not storable, ignored", chunk.jobId(),
                    chunk.attempt(), chunk.nodeRank(), chunk.offset());
            return Uni.createFrom().item(false);
        }
        return chunks.insertIfAbsent(id.get(), chunk.attempt(), chunk.nodeRank(), chunk.offset(), storable(chunk.text()),
                Instant.now()).invoke(inserted -> {
                    if (!inserted) {
                        LOG.debugf("job=%s attempt=%d node=%d log chunk at offset %d already stored or job unknown",
                                chunk.jobId(), chunk.attempt(), chunk.nodeRank(), chunk.offset());
                    }
                });
    }
}

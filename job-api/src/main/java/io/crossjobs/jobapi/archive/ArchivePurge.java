package io.crossjobs.jobapi.archive;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Deletes uploads a retention ({@code jobapi.archives.retention}) after the last job that used them ended: the object
 * first (with a DELETE the store's provisioner signs), then its row, so a failed delete is tried again next round.
 */
@ApplicationScoped
public class ArchivePurge {
    private static final Logger LOG = Logger.getLogger(ArchivePurge.class);
    private static final int BATCH = 200;

    private final ArchiveRepository archives;
    private final ArchiveStore store;
    private final ArchiveConfig config;

    public ArchivePurge(ArchiveRepository archives, ArchiveStore store, ArchiveConfig config) {
        this.archives = archives;
        this.store = store;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Blocking
    void scheduled() {
        try {
            purgeAt(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("archive purge failed, the next round retries: %s", e.toString());
        }
    }

    /** Deletes what is past its retention at {@code now}; returns how many uploads went. Blocking. */
    public int purgeAt(Instant now) {
        Instant before = now.minus(config.retention());
        List<Archive> unused = archives.unusedSince(before, BATCH).await().indefinitely();
        int deleted = 0;
        for (Archive archive : unused) {
            try {
                store.delete(archive.objectUri());
                archives.delete(archive.digest(), before).await().indefinitely();
                deleted++;
            } catch (ArchiveStore.StoreUnavailableException e) {
                LOG.warnf("archive %s: could not delete %s, tried again next round: %s", archive.digest(),
                        archive.objectUri(), e.getMessage());
            }
        }
        if (deleted > 0) LOG.infof("deleted %d upload(s) unused since %s", deleted, before);
        return deleted;
    }
}

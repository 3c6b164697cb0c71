package io.crossjobs.mockcloud.blob;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Containers Delete Container has marked, until their name is free again. Azure deletes a container's blobs later,
 * in garbage collection; while it does, Create Container of that name is 409 ContainerBeingDeleted and every other
 * operation on the container or its blobs is 404 (learn.microsoft.com/rest/api/storageservices/delete-container,
 * "Remarks": at least 30 seconds).
 */
final class ContainerDeletions {
    private final Map<String, Instant> freeAt = new HashMap<>();
    private final Duration lasts;

    ContainerDeletions(Duration lasts) {
        this.lasts = lasts;
    }

    synchronized void begin(String container, Instant now) {
        freeAt.put(container, now.plus(lasts));
    }

    /** Whether {@code container} is still being deleted at {@code now}; a deletion that is over is forgotten. */
    synchronized boolean underway(String container, Instant now) {
        Instant until = freeAt.get(container);
        if (until == null) return false;
        if (now.isBefore(until)) return true;
        freeAt.remove(container);
        return false;
    }

    synchronized void clear() {
        freeAt.clear();
    }
}

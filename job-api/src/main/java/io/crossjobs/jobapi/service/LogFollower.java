package io.crossjobs.jobapi.service;

import io.crossjobs.jobapi.model.LogChunkKey;
import io.crossjobs.jobapi.model.StoredLogChunk;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one log follow has read: the node's chunks so far, so that each look reads only the chunks stored since the
 * last one. A look asks from {@link #MARGIN} before the latest chunk it saw, in case a chunk stamped earlier committed
 * later (a chunk seen again changes nothing). Holds the node's output in memory, at most the job's log cap.
 */
public final class LogFollower {
    /** How far before the latest chunk seen a look reads again. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    private final Map<LogChunkKey, StoredLogChunk> chunks = new HashMap<>();
    private Instant latest;

    /** Where the next look starts; null: the first look reads everything. */
    synchronized Instant since() {
        return latest == null ? null : latest.minus(MARGIN);
    }

    /** Takes in what a look read; true when a chunk was new or longer than before. */
    synchronized boolean add(List<StoredLogChunk> read) {
        boolean changed = false;
        for (StoredLogChunk c : read) {
            if (latest == null || c.receivedAt.isAfter(latest)) latest = c.receivedAt;
            StoredLogChunk before = chunks.get(c.key);
            if (before == null || before.text.length() != c.text.length()) {
                chunks.put(c.key, c);
                changed = true;
            }
        }
        return changed;
    }

    synchronized List<StoredLogChunk> chunks() {
        return new ArrayList<>(chunks.values());
    }
}

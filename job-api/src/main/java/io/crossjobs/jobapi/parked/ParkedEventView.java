package io.crossjobs.jobapi.parked;

import java.time.Instant;
import java.util.Map;

/** A parked record as admins see it: where it came from, why it was parked, and whether it was replayed. */
public record ParkedEventView(String id, String key, String originTopic, int originPartition, long originOffset,
                              String eventType, String reason, String cause, String payload,
                              Map<String, String> headers, Instant parkedAt, Instant replayedAt, String replayedBy) {
}

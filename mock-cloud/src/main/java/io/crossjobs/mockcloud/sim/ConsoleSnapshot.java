package io.crossjobs.mockcloud.sim;

import java.time.Instant;

/**
 * A VM's whole console text and when it last changed, and the text as posted at its last state transition (what
 * EC2 returns without {@code Latest}) with when that was (null before the first post).
 */
public record ConsoleSnapshot(String text, Instant updatedAt, String posted, Instant postedAt) {
}

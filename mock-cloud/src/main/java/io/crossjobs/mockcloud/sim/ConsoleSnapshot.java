package io.crossjobs.mockcloud.sim;

import java.time.Instant;

/** A VM's whole console text and when it last changed. */
public record ConsoleSnapshot(String text, Instant updatedAt) {
}

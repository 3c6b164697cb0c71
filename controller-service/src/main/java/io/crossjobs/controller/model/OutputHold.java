package io.crossjobs.controller.model;

import io.crossjobs.events.RunPhase;

import java.time.Instant;

/**
 * What the controller knows of the output of one attempt of a job while the job's terminal status waits for it: the
 * exit it holds ({@code exit}, null: none) and when job-api confirmed the attempt's output stored ({@code storedAt},
 * null: not yet). Each may come first.
 */
public record OutputHold(int attempt, HeldExit exit, Instant storedAt) {

    /** The attempt's setup or run exited at {@code exitedAt}; its terminal status is applied by {@code releaseBy}. */
    public record HeldExit(RunPhase phase, int exitCode, Instant exitedAt, Instant releaseBy) { }

    public static OutputHold none(int attempt) {
        return new OutputHold(attempt, null, null);
    }

    public boolean exitHeld() { return exit != null; }

    public boolean outputStored() { return storedAt != null; }
}

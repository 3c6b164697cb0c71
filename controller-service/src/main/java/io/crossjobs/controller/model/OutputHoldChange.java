package io.crossjobs.controller.model;

import java.time.Instant;

/** What a {@link Decision} does to its job's {@link OutputHold}. */
public sealed interface OutputHoldChange {

    /** The attempt's exit is held: its terminal status waits for the output. */
    record HoldExit(int attempt, OutputHold.HeldExit exit) implements OutputHoldChange { }

    /** The attempt's output is stored before its exit arrived: the exit will not wait. */
    record NoteStored(int attempt, Instant at) implements OutputHoldChange { }

    /** The wait is over (the held exit is applied, or it no longer concerns the job's attempt): the job's rows go. */
    record End(int attempt) implements OutputHoldChange { }
}

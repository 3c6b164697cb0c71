package io.crossjobs.stack;

import io.crossjobs.testsupport.ServiceProcess;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One process of the stack: how it is started (the same ports and settings at every start, since the others point
 * at it), the run in it now, and how the runs before it ended. Guarded by its {@link Stack}'s lock.
 */
final class Slot {
    /** How a process of the stack starts, and when it serves. */
    interface Launch {
        ServiceProcess start() throws IOException;

        void awaitReady(ServiceProcess process, Duration timeout);

        /** Where it serves, for the launcher's lines: a URL or host:port. */
        String where();
    }

    enum State {
        /** Started by the launcher, and not seen gone. */
        RUNNING,
        /** Exited on its own; a restart is due. */
        EXITED,
        /** Being stopped by the launcher to be started again: its exit is no crash. */
        REPLACING,
        /** Exited too often too soon after its starts: left down. */
        GIVEN_UP
    }

    private final String name;
    private final Launch launch;
    private ServiceProcess process;
    private Instant since;
    private State state = State.RUNNING;
    private int restarts;
    private ProcessExit lastExit;
    /** The runs that ended by an exit the launcher did not cause, oldest first: what the restart policy weighs. */
    private final List<RestartPolicy.Run> crashes = new ArrayList<>();

    Slot(String name, Launch launch, ServiceProcess process, Instant since) {
        this.name = name;
        this.launch = launch;
        this.process = process;
        this.since = since;
    }

    String name() { return name; }

    Launch launch() { return launch; }

    ServiceProcess process() { return process; }

    State state() { return state; }

    int restarts() { return restarts; }

    Optional<ProcessExit> lastExit() { return Optional.ofNullable(lastExit); }

    List<RestartPolicy.Run> crashes() { return List.copyOf(crashes); }

    /** Whether the process is gone although the launcher neither stopped it nor gave it up. */
    boolean crashed() { return state == State.RUNNING && !process.isAlive(); }

    /** Records the exit of the run in it now, which the launcher did not cause. */
    ProcessExit recordCrash(Instant at) {
        lastExit = new ProcessExit(at, process.exitCode().orElse(-1));
        crashes.add(new RestartPolicy.Run(since, at));
        state = State.EXITED;
        return lastExit;
    }

    void giveUp() { state = State.GIVEN_UP; }

    /** The launcher stops the process now, to start it again: its exit is not a crash. */
    ServiceProcess beginReplacing() {
        state = State.REPLACING;
        return process;
    }

    /** A new run of the process, started by the launcher after the last one ended. */
    void restarted(ServiceProcess next, Instant at) {
        process = next;
        since = at;
        state = State.RUNNING;
        restarts++;
    }

    /** The launcher could not start the process again: seen gone at the next look, a quick crash. */
    void startFailed(Instant at) {
        since = at;
        state = State.RUNNING;
    }

    /** A new run asked for by the stack's owner (a test's restart): not counted among the launcher's restarts. */
    void replaced(ServiceProcess next, Instant at) {
        process = next;
        since = at;
        state = State.RUNNING;
    }

    /** The launcher's state file line: {@code PID NAME since=... restarts=N state=... [last-exit=CODE@INSTANT]}. */
    String stateLine() {
        String line = process.pid() + " " + name + " since=" + since + " restarts=" + restarts
                + " state=" + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return lastExit == null ? line : line + " last-exit=" + lastExit.format();
    }
}

package io.crossjobs.mockcloud.sim;

import java.time.Instant;

/** What runs "inside" a VM: its user data, as a real process or simulated. Driven by the simulator's tick. */
public interface Workload {

    /** Advances time-based work (simulated end, kill escalation). Called on every tick while the VM is known. */
    void poll(Instant now);

    /** Stops the workload: a polite signal now, a hard kill at the first poll after the grace period. */
    void kill(Instant now);

    /** Hard kill of everything the workload started, now. */
    void forceKill();

    /** True while the script or anything it left behind may still be running. */
    boolean isAlive();

    /** The script's exit code once it ended, else null. */
    Integer exitCode();

    /** Process id of the script, or -1 when there is no process. */
    long pid();
}

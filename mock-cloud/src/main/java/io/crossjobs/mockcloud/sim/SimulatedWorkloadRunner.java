package io.crossjobs.mockcloud.sim;

import java.time.Clock;
import java.time.Duration;

/** Simulate mode: no process, see {@link SimulatedWorkload}. */
public final class SimulatedWorkloadRunner implements WorkloadRunner {
    private final Clock clock;
    private final Duration defaultDuration;

    public SimulatedWorkloadRunner(Clock clock, Duration defaultDuration) {
        this.clock = clock;
        this.defaultDuration = defaultDuration;
    }

    @Override
    public Workload start(VmView vm, byte[] userData, ConsoleBuffer console) {
        return SimulatedWorkload.start(userData, console, clock.instant(), defaultDuration);
    }
}

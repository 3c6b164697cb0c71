package io.crossjobs.mockcloud.sim;

import java.time.Duration;

/**
 * @param bootDelay           pending → running
 * @param shutdownDelay       shutting-down → terminated
 * @param terminatedRetention how long terminated VMs stay listed before they vanish
 * @param killGrace           between the polite and the hard kill of a workload
 * @param consoleMaxChars     console output kept per VM
 */
public record SimulatorSettings(Duration bootDelay, Duration shutdownDelay, Duration terminatedRetention,
                                Duration killGrace, int consoleMaxChars) {

    public static SimulatorSettings defaults() {
        return new SimulatorSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(10),
                Duration.ofSeconds(2), 32 * 1024 * 1024);
    }

    public SimulatorSettings withBootDelay(Duration d) {
        return new SimulatorSettings(d, shutdownDelay, terminatedRetention, killGrace, consoleMaxChars);
    }

    public SimulatorSettings withShutdownDelay(Duration d) {
        return new SimulatorSettings(bootDelay, d, terminatedRetention, killGrace, consoleMaxChars);
    }

    public SimulatorSettings withTerminatedRetention(Duration d) {
        return new SimulatorSettings(bootDelay, shutdownDelay, d, killGrace, consoleMaxChars);
    }

    public SimulatorSettings withKillGrace(Duration d) {
        return new SimulatorSettings(bootDelay, shutdownDelay, terminatedRetention, d, consoleMaxChars);
    }
}

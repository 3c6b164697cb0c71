package io.crossjobs.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;

@ConfigMapping(prefix = "crossjobs.controller")
public interface ControllerConfig {

    /** Launches of one job that may fail in a row (each elsewhere) before it is FAILED_NO_RESOURCE. */
    @WithDefault("5")
    int maxLaunchAttempts();

    /** Price catalog CSV files on the class path, one per cloud. */
    @WithDefault("catalog/aws.csv,catalog/gcp.csv,catalog/azure.csv")
    List<String> catalogFiles();

    /** Launches in flight (jobs STARTING) at most; PENDING jobs beyond it wait for a slot. */
    @WithDefault("8")
    int maxConcurrentLaunches();

    /** Launches in flight at most in one region of one cloud (see {@code LaunchCapacity}). */
    LaunchCapacity launchCapacity();

    interface LaunchCapacity {
        /**
         * How long a launch holds its place when nothing queues it (the LaunchCluster command until the cluster is
         * up); times a cloud's documented launch rate, it gives the launches allowed in flight per region.
         */
        @WithDefault("20s")
        Duration hold();

        /**
         * Launches allowed in flight per region, in place of rate × hold: keyed by cloud
         * ({@code crossjobs.controller.launch-capacity.in-flight.aws=60}) or by one region of it
         * ({@code crossjobs.controller.launch-capacity.in-flight."aws/us-east-1"=80}). None by default.
         */
        Map<String, Integer> inFlight();
    }

    /** One launch episode (first launch until the cluster is up) may take this long before FAILED_NO_RESOURCE. */
    @WithDefault("30m")
    Duration launchTimeout();

    /**
     * How long an exit that ends a job is held for job-api to confirm its output stored, before the job ends anyway
     * with a reason saying its output may be incomplete (see {@code OutputWait}).
     */
    @WithDefault("20s")
    Duration outputWait();

    Backoff backoff();

    TimeLimit timeLimit();

    /** How a task's {@code max_duration} is enforced (see {@code TimeLimits}). */
    interface TimeLimit {
        /** Between the node's SIGTERM to the task at its limit and SIGKILL. */
        @WithDefault("30s")
        Duration grace();

        /** Past the limit and the grace, a job still RUNNING is ended by the controller and its cluster terminated. */
        @WithDefault("60s")
        Duration slack();
    }

    Schedule schedule();

    /** The wait PENDING after a failed launch: initial × multiplier^(failures-1), at most max. */
    interface Backoff {
        @WithDefault("10s")
        Duration initial();

        @WithDefault("2")
        double multiplier();

        @WithDefault("5m")
        Duration max();
    }

    interface Schedule {
        /**
         * How often the launch scheduler scans for PENDING jobs whose backoff is over (it is also woken after each
         * handled event). Read by the scheduler as {@code ${crossjobs.controller.schedule.interval}}.
         */
        @WithDefault("1s")
        String interval();
    }

    Heartbeat heartbeat();

    interface Heartbeat {
        /**
         * How often a controller with an identity tells its keeper it is alive ({@code ControllerHeartbeat}). Read by
         * the scheduler as {@code ${crossjobs.controller.heartbeat.interval}}.
         */
        @WithDefault("2s")
        String interval();
    }
}

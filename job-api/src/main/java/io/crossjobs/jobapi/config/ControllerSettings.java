package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Where and how the jobs controller runs, in SkyPilot's names ({@code jobs.controller.*}). The first start of the
 * keeper places the controller by them; a later start configured differently changes nothing and says so, and
 * {@code POST /controller/migrate} moves it.
 */
@ConfigMapping(prefix = "jobs.controller")
public interface ControllerSettings {

    Resources resources();

    /** Controller VMs kept at once; each takes a share of the jobs through the Kafka consumer group. */
    @WithDefault("1")
    int replicas();

    /** With no live job for this long the controller's VMs are terminated; the next submission launches one. */
    Optional<Duration> autostop();

    interface Resources {
        @WithDefault("aws")
        String cloud();

        /** Unset: the cheapest region of the cloud for the controller's size. */
        Optional<String> region();

        /** SkyPilot's notation: "4" exactly, "4+" at least. */
        @WithDefault("4+")
        String cpus();

        /** Unset: 4 GiB per vCPU, as SkyPilot's controller default. */
        Optional<String> memory();

        /** The root disk of each controller VM, in GB; SkyPilot's controller default. */
        @WithDefault("50")
        int diskSize();
    }
}

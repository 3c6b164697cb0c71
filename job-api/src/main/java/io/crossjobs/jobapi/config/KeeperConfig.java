package io.crossjobs.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The controller keeper: what a controller VM runs and how closely the keeper watches it. */
@ConfigMapping(prefix = "crossjobs.keeper")
public interface KeeperConfig {

    /** Off only where something else runs the controller (job-api's own tests). */
    @WithDefault("true")
    boolean enabled();

    /**
     * The built controller-service a VM runs: a path of {@code quarkus-run.jar} on the VM's machine (mock-cloud's
     * VMs are processes of this machine), or an https URL of a {@code .tar.gz} of its {@code quarkus-app} folder
     * that the VM downloads. Unset: no controller is launched, and {@code GET /controller} says why.
     */
    Optional<String> controllerArtifact();

    /** The Java command on the VM; a VM without {@code java} on its PATH installs a JRE first. */
    @WithDefault("java")
    String java();

    @WithDefault("-Xmx384m -XX:TieredStopAtLevel=1")
    String jvmOptions();

    /**
     * A properties file with the controller's own settings (Kafka and PostgreSQL addresses and credentials,
     * its tuning), handed to a controller VM once, over {@link #bootstrapUrl()}, never in its user data.
     */
    Optional<Path> controllerSettingsFile();

    /** job-api's bootstrap endpoint as a controller VM reaches it. */
    @WithDefault("http://127.0.0.1:8080/controller/bootstrap")
    String bootstrapUrl();

    /** How long a VM's one-time bootstrap token is accepted after its launch. */
    @WithDefault("15m")
    Duration bootstrapTokenTtl();

    /** A serving controller silent this long is taken for lost and replaced (it heartbeats every 2 s). */
    @WithDefault("20s")
    Duration heartbeatTimeout();

    /** A VM the cloud reports running whose controller has not reported within this is replaced. */
    @WithDefault("5m")
    Duration bootTimeout();

    /** A launch the cloud never reported running within this is given up and replaced. */
    @WithDefault("10m")
    Duration launchTimeout();

    /** The first wait before launching again after a VM failed or was lost; doubles per failure, up to 5 min. */
    @WithDefault("5s")
    Duration relaunchBackoff();
}

package io.crossjobs.mockcloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.crossjobs.events.CloudTags;
import io.crossjobs.events.ClusterRole;
import io.crossjobs.mockcloud.admin.OverlapRecord;
import org.eclipse.microprofile.config.ConfigProvider;

import io.crossjobs.mockcloud.ec2.Ec2Api;
import io.crossjobs.mockcloud.ec2.Ec2Checks;
import io.crossjobs.mockcloud.ec2.Ec2Images;
import io.crossjobs.mockcloud.ec2.SsmApi;
import io.crossjobs.mockcloud.imds.MetadataResource;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.ec2.Ec2InstanceTypes;
import io.crossjobs.mockcloud.sim.ProcessWorkloadRunner;
import io.crossjobs.mockcloud.sim.WorkloadUsers;
import io.crossjobs.mockcloud.sim.SimulateModeRunner;
import io.crossjobs.mockcloud.sim.SimulatedWorkloadRunner;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.WorkloadRunner;

/** Builds the simulator and the front ends from configuration. */
@Singleton
public class SimulatorBeans {
    private static final Logger LOG = Logger.getLogger(SimulatorBeans.class);

    @Produces
    @Singleton
    OverlapRecord overlaps() {
        return new OverlapRecord();
    }

    @Produces
    @Singleton
    VmSimulator simulator(MockCloudConfig config, OverlapRecord overlaps, QuotaGate quotas) {
        Clock clock = Clock.systemUTC();
        SimulatorSettings settings = new SimulatorSettings(config.bootDelay(), config.shutdownDelay(),
                config.terminatedRetention(), config.killGrace(), config.consoleMaxChars());
        ProcessWorkloadRunner processes = processRunner(config);
        WorkloadRunner runner;
        if (config.simulateWorkloads()) {
            runner = new SimulateModeRunner(new SimulatedWorkloadRunner(clock, config.simulateDefaultDuration()),
                    processes);
            LOG.infof("simulate mode: user data is simulated, except on VMs tagged %s=%s (the jobs controller),"
                    + " which runs as real processes under %s", CloudTags.ROLE, ClusterRole.CONTROLLER.tagValue(),
                    processes.stateDir());
        } else {
            runner = processes;
            LOG.infof("user data runs as real processes under %s", processes.stateDir());
        }
        return new VmSimulator(settings, clock, runner, overlaps, quotas);
    }

    void close(@Disposes VmSimulator simulator) {
        simulator.close();
    }

    @Produces
    @Singleton
    Ec2Api ec2(VmSimulator simulator, MockCloudConfig config, ApiRateLimiter limits) {
        MockCloudConfig.Aws aws = config.aws();
        return new Ec2Api(simulator, new Ec2InstanceTypes(aws.extraInstanceTypes().orElse(List.of())),
                Ec2Images.builtIn(), new Ec2Checks(aws.regionalImages(), aws.imageArchitecture(), aws.volumeSizes(),
                        aws.userDataLimit()), aws.accountId(), limits);
    }

    @Produces
    @Singleton
    SsmApi ssm(VmSimulator simulator) {
        return new SsmApi(simulator, Ec2Images.builtIn());
    }

    /** VMs are local processes, so they reach their metadata service on this server's own HTTP port. */
    private static String metadataBaseUrl(MockCloudConfig config) {
        return config.metadataBaseUrl().orElseGet(() -> "http://127.0.0.1:"
                + ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080)
                + MetadataResource.PATH);
    }

    private static ProcessWorkloadRunner processRunner(MockCloudConfig config) {
        try {
            if (config.stateDir().isPresent() && !config.stateDir().get().isBlank()) {
                Path dir = Path.of(config.stateDir().get()).toAbsolutePath();
                ProcessWorkloadRunner runner = new ProcessWorkloadRunner(dir, false, config.killGrace(), Map.of(),
                        metadataBaseUrl(config), WorkloadUsers.detect(config.isolateWorkloads()));
                int reaped = runner.reapLeftovers();
                if (reaped > 0) LOG.warnf("killed %d workload(s) left over by an earlier run", reaped);
                return runner;
            }
            Path dir = Files.createTempDirectory("mock-cloud-");
            return new ProcessWorkloadRunner(dir, true, config.killGrace(), Map.of(), metadataBaseUrl(config),
                    WorkloadUsers.detect(config.isolateWorkloads()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state dir", e);
        }
    }
}

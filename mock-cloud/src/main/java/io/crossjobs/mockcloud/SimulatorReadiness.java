package io.crossjobs.mockcloud;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.crossjobs.mockcloud.sim.VmSimulator;

@Readiness
@ApplicationScoped
public class SimulatorReadiness implements HealthCheck {

    @Inject
    VmSimulator simulator;

    @Inject
    MockCloudConfig config;

    @Override
    public HealthCheckResponse call() {
        long alive = simulator.list(vm -> vm.state().alive()).size();
        return HealthCheckResponse.named("mock-cloud")
                .withData("aliveInstances", alive)
                .withData("simulateWorkloads", config.simulateWorkloads())
                .up().build();
    }
}

package io.crossjobs.mockcloud;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.crossjobs.mockcloud.sim.VmSimulator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The one scheduler thread that calls {@link VmSimulator#tick()}. (Quarkus' own scheduler fires at most once
 * a second, too coarse for sub-second boot delays.) On shutdown it stops ticking and kills every workload.
 */
@ApplicationScoped
public class SimulatorClock {
    private static final Logger LOG = Logger.getLogger(SimulatorClock.class);

    @Inject
    VmSimulator simulator;

    @Inject
    MockCloudConfig config;

    private ScheduledExecutorService executor;

    void start(@Observes StartupEvent event) {
        long periodMs = Math.max(10, config.tickInterval().toMillis());
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vm-simulator-tick");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::tick, periodMs, periodMs, TimeUnit.MILLISECONDS);
        LOG.infof("mock-cloud simulator ticking every %d ms", periodMs);
    }

    private void tick() {
        try {
            simulator.tick();
        } catch (RuntimeException e) {
            LOG.error("simulator tick failed", e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        simulator.close();
        LOG.info("mock-cloud simulator stopped; workloads killed");
    }
}

package io.crossjobs.mockcloud.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.crossjobs.mockcloud.MockCloudConfig;
import io.crossjobs.mockcloud.sim.FaultRule;
import io.crossjobs.mockcloud.sim.FaultSpec;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.quarkus.runtime.StartupEvent;

/** Arms the faults of {@code mock-cloud.faults-file} at startup; a bad file stops the start. */
@Singleton
public class FaultsFileLoader {
    private static final Logger LOG = Logger.getLogger(FaultsFileLoader.class);

    private final MockCloudConfig config;
    private final VmSimulator simulator;
    private volatile List<FaultRule> loaded = List.of();

    public FaultsFileLoader(MockCloudConfig config, VmSimulator simulator) {
        this.config = config;
        this.simulator = simulator;
    }

    void onStart(@Observes StartupEvent event) {
        config.faultsFile().filter(f -> !f.isBlank()).ifPresent(this::load);
    }

    /** The faults armed from the file at startup (later calls or resets may have used them up since). */
    public List<FaultRule> loaded() {
        return loaded;
    }

    private void load(String file) {
        Path path = Path.of(file).toAbsolutePath();
        String source = "mock-cloud.faults-file " + path;
        String json;
        try {
            json = Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException(source + ": cannot read: " + e);
        }
        List<FaultSpec> specs;
        try {
            specs = FaultsFile.parse(json, source);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
        List<FaultRule> rules = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            try {
                rules.add(simulator.faults().add(specs.get(i)));
            } catch (IllegalArgumentException e) {
                rules.forEach(r -> simulator.faults().remove(r.id()));
                throw new IllegalStateException(source + ": fault [" + i + "] " + describe(specs.get(i)) + ": "
                        + e.getMessage());
            }
        }
        loaded = List.copyOf(rules);
        LOG.infof("armed %d fault(s) from %s", rules.size(), path);
    }

    private static String describe(FaultSpec spec) {
        try {
            return new ObjectMapper().writeValueAsString(spec);
        } catch (IOException e) {
            return spec.toString();
        }
    }
}

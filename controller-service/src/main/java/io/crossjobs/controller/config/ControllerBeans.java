package io.crossjobs.controller.config;

import io.crossjobs.controller.service.Decider;
import io.crossjobs.controller.service.LaunchBackoff;
import io.crossjobs.controller.service.LaunchCapacity;
import io.crossjobs.controller.service.OutputWait;
import io.crossjobs.controller.service.TimeLimits;
import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The plain (framework-free) policy classes, wired once from configuration. */
@ApplicationScoped
public class ControllerBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    PriceCatalog priceCatalog(ControllerConfig config) {
        PriceCatalog catalog = PriceCatalog.fromClasspath(config.catalogFiles());
        Log.infof("price catalog: %d offers from %s", catalog.size(), config.catalogFiles());
        return catalog;
    }

    @Produces
    @Singleton
    Optimizer optimizer(PriceCatalog catalog) {
        return new Optimizer(catalog);
    }

    @Produces
    @Singleton
    Decider decider(Optimizer optimizer, ControllerConfig config, Clock clock) {
        LaunchBackoff backoff = new LaunchBackoff(config.backoff().initial(), config.backoff().multiplier(),
                config.backoff().max(), config.launchTimeout());
        LaunchCapacity capacity = new LaunchCapacity(config.launchCapacity().hold(),
                config.launchCapacity().inFlight());
        Log.infof("launch capacity per region: %s", capacity);
        TimeLimits timeLimits = new TimeLimits(config.timeLimit().grace(), config.timeLimit().slack());
        return new Decider(optimizer, config.maxLaunchAttempts(), backoff, capacity, timeLimits, clock);
    }

    @Produces
    @Singleton
    OutputWait outputWait(Decider decider, ControllerConfig config, Clock clock) {
        return new OutputWait(decider, config.outputWait(), clock);
    }
}

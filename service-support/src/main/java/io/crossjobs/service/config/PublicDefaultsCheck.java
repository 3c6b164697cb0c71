package io.crossjobs.service.config;

import io.crossjobs.events.PublicDefaults;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Stops the start of a service that holds a publicly known credential ({@link PublicDefaults}). */
@ApplicationScoped
public class PublicDefaultsCheck {
    void onStart(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        PublicDefaults.refuseToStart(name -> config.getOptionalValue(name, String.class));
    }
}

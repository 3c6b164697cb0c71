package io.crossjobs.service.config;

import io.crossjobs.events.PublicDefaults;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;

/** Stops the start of a service that holds a publicly known credential ({@link PublicDefaults}). */
@ApplicationScoped
public class PublicDefaultsCheck {
    void onStart(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        if (config.getOptionalValue(PublicDefaults.ALLOW, Boolean.class).orElse(false)) return;
        List<String> problems = PublicDefaults.problems(name -> config.getOptionalValue(name, String.class));
        if (!problems.isEmpty()) throw new IllegalStateException("refusing to start: " + String.join("; ", problems));
    }
}

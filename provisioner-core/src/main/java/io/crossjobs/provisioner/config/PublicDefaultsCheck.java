package io.crossjobs.provisioner.config;

import io.crossjobs.events.PublicDefaults;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Stops the start of a provisioner that holds a publicly known credential ({@link PublicDefaults}); provisioners
 * carry no service-support, so theirs is this observer of the same rule.
 */
@ApplicationScoped
public class PublicDefaultsCheck {
    void onStart(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        PublicDefaults.refuseToStart(name -> config.getOptionalValue(name, String.class));
    }
}

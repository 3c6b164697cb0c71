package io.crossjobs.provisioner.config;

import io.crossjobs.events.CloudTags;
import io.crossjobs.events.DeploymentId;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The provisioner's deployment ({@code crossjobs.deployment-id}, default {@code default}): the adapters tag every
 * instance with it and list, report and terminate only its instances. An invalid id stops the start, naming it.
 */
@ApplicationScoped
public class DeploymentSetting {
    private static final Logger LOG = Logger.getLogger(DeploymentSetting.class);

    @Produces
    @Singleton
    DeploymentId deploymentId(
            @ConfigProperty(name = "crossjobs.deployment-id", defaultValue = "default") String value) {
        return new DeploymentId(value);
    }

    void checkAtStart(@Observes StartupEvent event, DeploymentId deployment) {
        LOG.infof("deployment=%s: only instances tagged %s=%s%s are this provisioner's", deployment,
                CloudTags.DEPLOYMENT, deployment,
                deployment.isDefault() ? " (or not tagged with a deployment)" : "");
    }
}

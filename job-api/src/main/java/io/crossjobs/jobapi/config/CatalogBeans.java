package io.crossjobs.jobapi.config;

import io.crossjobs.catalog.EgressPrices;
import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * The price catalog and the optimizer over it, read once at start: the cost report prices jobs and the controller
 * with them, and the controller keeper chooses where the controller runs with them. The egress prices price the
 * staging of jobs' files across clouds in the cost report.
 */
@ApplicationScoped
public class CatalogBeans {

    @Produces
    @Singleton
    PriceCatalog priceCatalog(@ConfigProperty(name = "crossjobs.catalog-files",
            defaultValue = "catalog/aws.csv,catalog/gcp.csv,catalog/azure.csv") List<String> files) {
        PriceCatalog catalog = PriceCatalog.fromClasspath(files);
        Log.infof("price catalog: %d offers from %s", catalog.size(), files);
        return catalog;
    }

    @Produces
    @Singleton
    EgressPrices egressPrices() {
        return EgressPrices.fromClasspath(EgressPrices.DEFAULT_RESOURCE);
    }

    @Produces
    @Singleton
    Optimizer optimizer(PriceCatalog catalog) {
        return new Optimizer(catalog);
    }
}

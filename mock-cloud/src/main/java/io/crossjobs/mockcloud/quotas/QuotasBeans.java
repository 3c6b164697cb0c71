package io.crossjobs.mockcloud.quotas;

import java.util.EnumSet;
import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.crossjobs.mockcloud.sim.Cloud;

/** The one quota gate the simulator asks on every launch. */
@Singleton
public class QuotasBeans {

    @Produces
    @Singleton
    QuotaGate quotaGate(QuotasConfig config) {
        EnumSet<Cloud> enforced = EnumSet.noneOf(Cloud.class);
        if (config.aws()) enforced.add(Cloud.AWS);
        if (config.gcp()) enforced.add(Cloud.GCP);
        if (config.azure()) enforced.add(Cloud.AZURE);
        return new QuotaGate(enforced, QuotaGate.parse(config.limits().orElse(List.of())));
    }
}

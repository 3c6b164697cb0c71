package io.crossjobs.mockcloud.quotas;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.crossjobs.mockcloud.sim.Cloud;

/**
 * The mock account's quota limits: each cloud's defaults, overridden by configuration and then at runtime (an
 * "increase request" through the admin API). An override names a region, or {@code *} for every region; a
 * global quota has the scope {@code global}.
 */
final class QuotaLimits {
    static final String EVERY_REGION = "*";

    private record Key(Cloud cloud, String scope, String metric) { }

    private final Map<Cloud, CloudQuotaRules> rules;
    private final List<QuotaOverride> configured;
    private final Map<Key, Double> overrides = new ConcurrentHashMap<>();

    QuotaLimits(Map<Cloud, CloudQuotaRules> rules, List<QuotaOverride> configured) {
        this.rules = rules;
        this.configured = List.copyOf(configured);
        reset();
    }

    double limit(Cloud cloud, String scope, String metric) {
        Double exact = overrides.get(new Key(cloud, scope.toLowerCase(java.util.Locale.ROOT), metric));
        if (exact != null) return exact;
        Double every = overrides.get(new Key(cloud, EVERY_REGION, metric));
        return every != null ? every : rules.get(cloud).defaultLimit(metric);
    }

    void set(QuotaOverride o) {
        overrides.put(new Key(o.cloud(), o.scope().toLowerCase(java.util.Locale.ROOT), o.metric()), o.limit());
    }

    /** Back to the defaults and the configured overrides. */
    void reset() {
        overrides.clear();
        configured.forEach(this::set);
    }
}

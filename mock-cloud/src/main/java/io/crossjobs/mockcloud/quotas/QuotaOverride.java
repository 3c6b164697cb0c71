package io.crossjobs.mockcloud.quotas;

import java.util.Objects;

import io.crossjobs.mockcloud.sim.Cloud;

/**
 * One quota set to {@code limit}: in one region, in every region ({@code *}), or {@code global}. Written in
 * configuration as {@code cloud/scope/metric=limit}, e.g. {@code aws/us-east-1/L-DB2E81BA=64} or
 * {@code gcp/global/GPUS_ALL_REGIONS=8}.
 */
public record QuotaOverride(Cloud cloud, String scope, String metric, double limit) {
    public QuotaOverride {
        Objects.requireNonNull(cloud, "cloud");
        if (scope == null || scope.isBlank()) scope = QuotaLimits.EVERY_REGION;
        if (metric == null || metric.isBlank()) throw new IllegalArgumentException("metric is required");
        if (limit < 0 || Double.isNaN(limit)) throw new IllegalArgumentException("limit must be 0 or more");
    }

    static QuotaOverride parse(String entry) {
        String[] kv = entry.split("=", 2);
        String[] path = kv[0].trim().split("/", 3);
        if (kv.length != 2 || path.length != 3) {
            throw new IllegalArgumentException("quota '" + entry + "': expected cloud/region/metric=limit");
        }
        try {
            return new QuotaOverride(Cloud.of(path[0]), path[1], path[2], Double.parseDouble(kv[1].trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("quota '" + entry + "': " + e.getMessage(), e);
        }
    }
}

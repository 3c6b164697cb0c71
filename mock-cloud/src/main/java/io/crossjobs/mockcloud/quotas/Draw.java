package io.crossjobs.mockcloud.quotas;

/**
 * What one VM takes from one quota: {@code amount} vCPUs or GPUs of {@code metric} in {@code scope}, a region or
 * {@link #GLOBAL} for a quota counted over every region.
 */
public record Draw(String scope, String metric, double amount) {
    public static final String GLOBAL = "global";

    public boolean isGlobal() {
        return GLOBAL.equals(scope);
    }
}

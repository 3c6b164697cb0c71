package io.crossjobs.provisioner.service;

/**
 * A cloud's documented request limit that an adapter paces its calls to, per account and region: {@code burst}
 * calls at once, then {@code perSecond}. The name says which limit it is (e.g. EC2's {@code RunInstances} bucket).
 */
public record RateBudget(String name, int burst, double perSecond) {

    public RateBudget {
        if (burst < 1 || perSecond <= 0) throw new IllegalArgumentException(name + ": burst and rate must be positive");
    }

    /** A per-minute limit ({@code perMinute} calls, {@code burst} of them at once). */
    public static RateBudget perMinute(String name, int burst, double perMinute) {
        return new RateBudget(name, burst, perMinute / 60.0);
    }
}

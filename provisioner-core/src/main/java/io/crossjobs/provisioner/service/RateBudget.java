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

    /**
     * A budget just under a documented limit: one call less at once and 90% of its rate. Paced exactly at the
     * limit, a call sent on time could still arrive over it, since the cloud counts arrivals and the network
     * delays some calls more than others; the margin absorbs that.
     */
    public RateBudget withMargin() {
        return new RateBudget(name, Math.max(1, burst - 1), perSecond * 0.9);
    }
}

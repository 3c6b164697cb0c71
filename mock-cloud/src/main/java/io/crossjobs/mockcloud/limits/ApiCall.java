package io.crossjobs.mockcloud.limits;

import io.crossjobs.mockcloud.sim.Cloud;

/**
 * One API request as the limits see it: the cloud's own action name (EC2 {@code RunInstances}, GCE
 * {@code instances.insert}, ARM {@code virtualMachines.get}), the region it is counted in, the resource it acts on
 * (for per-resource limits; null when none) and its units (instances asked for; 1 for most calls).
 */
public record ApiCall(Cloud cloud, String region, String action, String resource, int units) {

    public static ApiCall of(Cloud cloud, String region, String action) {
        return new ApiCall(cloud, region, action, null, 1);
    }

    public ApiCall on(String resource) {
        return new ApiCall(cloud, region, action, resource, units);
    }

    public ApiCall units(int n) {
        return new ApiCall(cloud, region, action, resource, Math.max(1, n));
    }
}

package io.crossjobs.mockcloud.sim;

/** The call a fault rule is matched against; zone and instance type are null when the call has none. */
public record FaultContext(Cloud cloud, String region, String zone, String instanceType, String action,
                           boolean launch) {
}

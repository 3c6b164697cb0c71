package io.crossjobs.mockcloud.sim;

/** The effect of a terminate call on one VM. */
public record StateChange(String id, VmState previous, VmState current) {
}

package io.crossjobs.mockcloud.quotas;

import java.util.Map;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.LaunchRequest;
import io.crossjobs.mockcloud.sim.VmView;

/**
 * One VM as the quotas see it. {@code accelerator} is the GPU type attached to the VM by the request (GCE's
 * {@code guestAccelerators}), null when none: GPUs that come with the instance type are found from the type.
 */
public record QuotaSubject(Cloud cloud, String region, String instanceType, boolean spot, String accelerator,
                           int acceleratorCount) {

    /** Front-end attribute of a launch holding its attached accelerators as {@code type:count}. */
    public static final String ACCELERATORS = "quota.accelerators";

    public static QuotaSubject of(LaunchRequest req) {
        return of(req.cloud(), req.region(), req.instanceType(), req.spot(), req.attributes());
    }

    public static QuotaSubject of(VmView vm) {
        return of(vm.cloud(), vm.region(), vm.instanceType(), vm.spot(), vm.attributes());
    }

    private static QuotaSubject of(Cloud cloud, String region, String type, boolean spot, Map<String, String> attrs) {
        String attached = attrs.get(ACCELERATORS);
        if (attached == null || attached.isBlank()) return new QuotaSubject(cloud, region, type, spot, null, 0);
        int colon = attached.lastIndexOf(':');
        return new QuotaSubject(cloud, region, type, spot, attached.substring(0, colon),
                Integer.parseInt(attached.substring(colon + 1)));
    }
}

package io.crossjobs.mockcloud.arm;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the ARM front end keeps of one VM resource besides the simulator's VM: its ARM identity, the model it
 * was PUT with, and the resource-level facts ARM has but the simulator does not (eviction policy, a failed
 * allocation, a delete asked for).
 *
 * @param simId        the simulator's VM, null when the allocation failed (the resource exists, Failed)
 * @param failureCode  the allocation failure of a Failed resource, else null
 */
record ArmVm(String armId, String subscription, String resourceGroup, String name, String location,
             ObjectNode model, String vmId, String simId, boolean spot, String evictionPolicy,
             String failureCode, String failureMessage, boolean deleteRequested, Instant timeCreated) {

    ArmVm deleting() {
        return new ArmVm(armId, subscription, resourceGroup, name, location, model, vmId, simId, spot,
                evictionPolicy, failureCode, failureMessage, true, timeCreated);
    }

    boolean deallocateOnEviction() {
        return spot && !"Delete".equalsIgnoreCase(evictionPolicy);
    }
}

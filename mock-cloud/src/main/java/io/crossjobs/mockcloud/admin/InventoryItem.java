package io.crossjobs.mockcloud.admin;

import java.time.Instant;
import java.util.Map;

import io.crossjobs.mockcloud.sim.VmView;

/**
 * One instance as the admin API shows it.
 *
 * @param role the {@code crossjobs-role} tag ({@code job} or {@code controller}), null when the instance has none
 */
public record InventoryItem(String cloud, String region, String zone, String id, String name, String state,
                            String stateReasonCode, String stateReasonMessage, Map<String, String> tags, String role,
                            boolean spot, String instanceType, String imageId, String privateIp, String groupId,
                            Instant launchTime, Instant stateChangedAt, Instant preemptAt, Long workloadPid,
                            Integer workloadExitCode) {

    static InventoryItem of(VmView vm) {
        return new InventoryItem(vm.cloud().id(), vm.region(), vm.zone(), vm.id(), vm.name(), vm.state().label(),
                vm.stateReason() == null ? null : vm.stateReason().code(),
                vm.stateReason() == null ? null : vm.stateReason().message(), vm.tags(), vm.role(), vm.spot(),
                vm.instanceType(), vm.imageId(), vm.privateIp(), vm.groupId(), vm.launchTime(),
                vm.stateChangedAt(), vm.preemptAt(), vm.workloadPid(), vm.workloadExitCode());
    }
}

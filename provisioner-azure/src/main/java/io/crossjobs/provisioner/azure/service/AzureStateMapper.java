package io.crossjobs.provisioner.azure.service;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import io.crossjobs.provisioner.model.NodeState;

import java.util.Locale;
import java.util.Map;

/**
 * Azure VM states in the common model, as a table: the power state of the instance view when there is one, the
 * provisioning state otherwise (deallocated stops billing, stopped does not; both run nothing of ours).
 */
public final class AzureStateMapper {
    private static final Map<String, NodeState> POWER = Map.of(
            "starting", NodeState.PROVISIONING,
            "running", NodeState.RUNNING,
            "stopping", NodeState.TERMINATING,
            "deallocating", NodeState.TERMINATING,
            "stopped", NodeState.TERMINATED,
            "deallocated", NodeState.TERMINATED);
    private static final Map<String, NodeState> PROVISIONING = Map.of(
            "creating", NodeState.PROVISIONING,
            "updating", NodeState.PROVISIONING,
            "deleting", NodeState.TERMINATING,
            // a failed allocation runs nothing; launch puts the rank again
            "failed", NodeState.TERMINATED);

    public static NodeState nodeState(VirtualMachineInner vm) {
        String provisioning = lower(vm.provisioningState());
        if (provisioning != null && (provisioning.equals("deleting") || provisioning.equals("failed"))) {
            return PROVISIONING.get(provisioning);
        }
        String power = powerState(vm);
        if (power != null && POWER.containsKey(power)) return POWER.get(power);
        return provisioning == null ? NodeState.PROVISIONING : PROVISIONING.getOrDefault(provisioning, NodeState.PROVISIONING);
    }

    /**
     * Azure evicted the spot VM: crossjobs never stops or deallocates a VM, so a spot VM deallocating or deallocated
     * was evicted (policy Deallocate). With policy Delete the VM simply vanishes without our delete request, which
     * core's tracker reports as preempted.
     */
    public static boolean preempted(VirtualMachineInner vm) {
        String power = powerState(vm);
        return isSpot(vm) && ("deallocating".equals(power) || "deallocated".equals(power));
    }

    public static boolean isSpot(VirtualMachineInner vm) {
        return VirtualMachinePriorityTypes.SPOT.equals(vm.priority());
    }

    public static boolean failed(VirtualMachineInner vm) {
        return "failed".equals(lower(vm.provisioningState()));
    }

    /** "running", "deallocated", ... from the instance view's PowerState/* status, or null without one. */
    public static String powerState(VirtualMachineInner vm) {
        if (vm.instanceView() == null || vm.instanceView().statuses() == null) return null;
        return vm.instanceView().statuses().stream().map(InstanceViewStatus::code)
                .filter(c -> c != null && c.startsWith("PowerState/"))
                .map(c -> lower(c.substring("PowerState/".length()))).findFirst().orElse(null);
    }

    /** The raw state for messages: provisioning state and power state. */
    public static String describe(VirtualMachineInner vm) {
        String power = powerState(vm);
        return vm.provisioningState() + (power == null ? "" : "/" + power);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private AzureStateMapper() { }
}

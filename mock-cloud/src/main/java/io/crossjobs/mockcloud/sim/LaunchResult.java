package io.crossjobs.mockcloud.sim;

import java.util.List;

/** The VMs of one launch; {@code replayed} when an idempotency key returned an earlier launch's VMs. */
public record LaunchResult(String groupId, List<VmView> vms, boolean replayed) {
}

package io.crossjobs.mockcloud.sim;

import java.time.Instant;
import java.util.Map;

import io.crossjobs.events.CloudTags;
import io.crossjobs.events.ClusterRole;

/**
 * An immutable snapshot of one VM, as the front ends and the admin API see it.
 *
 * @param sequence         launch order across the whole simulator (stable sort key, pagination cursor)
 * @param launchIndex      position of the VM within its launch group (EC2's amiLaunchIndex)
 * @param stateReason      null while running
 * @param preemptAt        a preemption scheduled for later, or null
 * @param workloadPid      pid of the user-data process, or null (none, simulated, not started yet)
 * @param workloadExitCode exit code of the user-data script once it ended, else null
 */
public record VmView(String id, String name, Cloud cloud, String region, String zone, String instanceType,
                     String imageId, Map<String, String> tags, boolean spot, String groupId, long sequence,
                     int launchIndex, Instant launchTime, String privateIp, VmState state, StateReason stateReason,
                     Instant stateChangedAt, Instant preemptAt, Map<String, String> attributes, Long workloadPid,
                     Integer workloadExitCode) {

    /**
     * The {@code crossjobs-role} tag ({@code job} or {@code controller}), or null when the VM has none. EC2 tags,
     * GCE labels and ARM tags are all kept in {@link #tags}.
     */
    public String role() {
        return tags.get(CloudTags.ROLE);
    }

    /** The VM runs the jobs controller: crossjobs' own control plane, not a user's workload. */
    public boolean runsController() {
        return ClusterRole.CONTROLLER.tagValue().equals(role());
    }
}

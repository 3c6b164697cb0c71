package io.crossjobs.mockcloud.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Mutable state of one VM; every field is guarded by the simulator's lock. */
final class Vm {
    final String id;
    final String name;
    final Cloud cloud;
    final String region;
    final String zone;
    final String instanceType;
    final String imageId;
    /** Replaced whole (never mutated) by {@link VmSimulator#update}, so views can share it. */
    Map<String, String> tags;
    final boolean spot;
    final String groupId;
    final long sequence;
    final int launchIndex;
    final Instant launchTime;
    final String privateIp;
    final byte[] userData;
    Map<String, String> attributes;
    final ConsoleBuffer console;

    VmState state = VmState.PENDING;
    StateReason stateReason = StateReason.PENDING;
    Instant stateChangedAt;
    Instant runAt;
    Instant terminateAt;
    Instant preemptAt;
    /** How long this VM stays shutting-down; null: the simulator's setting. */
    Duration shuttingDownFor;
    Workload workload;

    Vm(String id, String name, LaunchRequest req, String groupId, long sequence, int launchIndex, Instant now,
       String privateIp, ConsoleBuffer console) {
        this.id = id;
        this.name = name;
        this.cloud = req.cloud();
        this.region = req.region();
        this.zone = req.zone();
        this.instanceType = req.instanceType();
        this.imageId = req.imageId();
        this.tags = req.tags();
        this.spot = req.spot();
        this.groupId = groupId;
        this.sequence = sequence;
        this.launchIndex = launchIndex;
        this.launchTime = now;
        this.privateIp = privateIp;
        this.userData = req.userData();
        this.attributes = req.attributes();
        this.console = console;
        this.stateChangedAt = now;
    }

    VmView view() {
        Long pid = workload == null || workload.pid() < 0 ? null : workload.pid();
        Integer exit = workload == null ? null : workload.exitCode();
        return new VmView(id, name, cloud, region, zone, instanceType, imageId, tags, spot, groupId, sequence,
                launchIndex, launchTime, privateIp, state, stateReason, stateChangedAt, preemptAt, attributes, pid,
                exit);
    }
}

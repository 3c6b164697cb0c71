package io.crossjobs.mockcloud.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.VmState;
import io.crossjobs.mockcloud.sim.VmView;

/**
 * DescribeVolumes: the EBS volumes RunInstances made for the region's instances ({@code VolumeId.N},
 * {@code Filter.N}). A volume lives with its instance: {@code in-use} and attached while the instance is not
 * terminated; then gone when it was DeleteOnTermination, else {@code available} (as long as the simulator still
 * remembers the instance).
 */
final class Ec2VolumeCalls {
    private static final Set<String> FILTERS = Set.of("attachment.instance-id", "attachment.device",
            "attachment.delete-on-termination", "volume-id", "volume-type", "size", "status", "availability-zone",
            "snapshot-id");
    private static final Pattern VOLUME_ID = Pattern.compile("vol-(?:[0-9a-f]{8}|[0-9a-f]{17})");

    /** One volume of one instance. */
    private record Volume(String id, VmView instance, BlockDevice device) {
        boolean attached() {
            return instance.state() != VmState.TERMINATED;
        }

        String status() {
            return attached() ? "in-use" : "available";
        }
    }

    private final VmSimulator sim;

    Ec2VolumeCalls(VmSimulator sim) {
        this.sim = sim;
    }

    String describeVolumes(String region, QueryParams p, String requestId) {
        List<String> ids = p.list("VolumeId");
        for (String id : ids) {
            if (!VOLUME_ID.matcher(id).matches()) {
                throw new Ec2Error(400, "InvalidVolumeID.Malformed", "Invalid id: \"" + id + "\"");
            }
        }
        Ec2Filters filters = Ec2Filters.parse(p, FILTERS);
        List<Volume> all = volumes(region);
        List<String> missing = ids.stream().filter(id -> all.stream().noneMatch(v -> v.id().equals(id))).toList();
        if (!missing.isEmpty()) {
            throw new Ec2Error(400, "InvalidVolume.NotFound", "The volume '" + missing.get(0) + "' does not exist.");
        }
        XmlWriter x = new XmlWriter().open("DescribeVolumesResponse", Ec2Xml.NAMESPACE)
                .leaf("requestId", requestId)
                .open("volumeSet");
        for (Volume v : all) {
            if ((ids.isEmpty() || ids.contains(v.id())) && filters.matches(name -> candidates(name, v))) volume(x, v);
        }
        return x.close("volumeSet").close("DescribeVolumesResponse").toString();
    }

    private List<Volume> volumes(String region) {
        List<Volume> volumes = new ArrayList<>();
        for (VmView vm : sim.list(vm -> vm.cloud() == Cloud.AWS && vm.region().equals(region))) {
            for (BlockDevice d : BlockDevice.of(vm.attributes())) {
                Volume v = new Volume(d.volumeId(vm.id()), vm, d);
                if (v.attached() || !d.deleteOnTermination()) volumes.add(v);
            }
        }
        return volumes;
    }

    private static List<String> candidates(String name, Volume v) {
        BlockDevice d = v.device();
        return switch (name) {
            case "attachment.instance-id" -> v.attached() ? List.of(v.instance().id()) : List.of();
            case "attachment.device" -> v.attached() ? List.of(d.deviceName()) : List.of();
            case "attachment.delete-on-termination" -> List.of(Boolean.toString(d.deleteOnTermination()));
            case "volume-id" -> List.of(v.id());
            case "volume-type" -> List.of(d.volumeType());
            case "size" -> List.of(Integer.toString(d.sizeGib()));
            case "status" -> List.of(v.status());
            case "availability-zone" -> List.of(v.instance().zone());
            case "snapshot-id" -> d.snapshotId() == null ? List.of() : List.of(d.snapshotId());
            default -> List.of();
        };
    }

    private static void volume(XmlWriter x, Volume v) {
        BlockDevice d = v.device();
        x.open("item")
                .leaf("volumeId", v.id())
                .leaf("size", d.sizeGib())
                .leaf("snapshotId", d.snapshotId() == null ? "" : d.snapshotId())
                .leaf("availabilityZone", v.instance().zone())
                .leaf("status", v.status())
                .leaf("createTime", Ec2Xml.timestamp(v.instance().launchTime()))
                .open("attachmentSet");
        if (v.attached()) {
            x.open("item")
                    .leaf("volumeId", v.id())
                    .leaf("instanceId", v.instance().id())
                    .leaf("device", d.deviceName())
                    .leaf("status", "attached")
                    .leaf("attachTime", Ec2Xml.timestamp(v.instance().launchTime()))
                    .leaf("deleteOnTermination", Boolean.toString(d.deleteOnTermination()))
                    .close("item");
        }
        x.close("attachmentSet")
                .leaf("volumeType", d.volumeType());
        if (d.iops() > 0) x.leaf("iops", d.iops());
        if ("gp3".equals(d.volumeType())) x.leaf("throughput", 125);
        x.leaf("encrypted", "false")
                .leaf("multiAttachEnabled", "false")
                .close("item");
    }
}

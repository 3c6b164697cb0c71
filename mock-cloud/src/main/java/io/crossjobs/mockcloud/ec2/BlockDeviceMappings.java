package io.crossjobs.mockcloud.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RunInstances' {@code BlockDeviceMapping.N} against the image's own mapping: the volumes an instance gets.
 * A mapping naming the image's root device changes the root volume (size, type, DeleteOnTermination); a mapping
 * of another device adds a volume, from a snapshot or empty. {@code NoDevice} and {@code VirtualName} (instance
 * store) mappings add no EBS volume. Policy only: parameters and images in, volumes or an {@link Ec2Error} out.
 */
final class BlockDeviceMappings {
    private record SizeRange(int minGib, int maxGib) { }

    /**
     * Sizes per volume type, GiB. docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EbsBlockDevice.html (gp2,
     * io1, st1, sc1, standard); gp3 and io2 to 64 TiB as in the current ModifyVolume reference and
     * docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html (older pages still say 16 TiB for gp3).
     */
    private static final Map<String, SizeRange> SIZES = Map.of(
            "gp2", new SizeRange(1, 16_384),
            "gp3", new SizeRange(1, 65_536),
            "io1", new SizeRange(4, 16_384),
            "io2", new SizeRange(4, 65_536),
            "st1", new SizeRange(125, 16_384),
            "sc1", new SizeRange(125, 16_384),
            "standard", new SizeRange(1, 1_024));

    /** A new empty volume without a VolumeType: gp2, CreateVolume's documented default. */
    private static final String DEFAULT_TYPE = "gp2";

    private BlockDeviceMappings() { }

    /**
     * @param snapshots the snapshots of the region (its images' root snapshots), for mappings naming one
     * @return the root volume first, then added volumes in request order
     */
    static List<BlockDevice> resolve(QueryParams p, Ec2Image image, List<Ec2Image> snapshots, boolean checkSizes) {
        Map<String, BlockDevice> devices = new LinkedHashMap<>();
        devices.put(image.rootDeviceName(), image.rootDevice());
        List<String> mapped = new ArrayList<>();
        for (int i : p.indexes("BlockDeviceMapping")) {
            String base = "BlockDeviceMapping." + i;
            String device = p.require(base + ".DeviceName");
            if (mapped.contains(device)) {
                // message n/f: EC2 names the device twice mapped
                throw new Ec2Error(400, "InvalidBlockDeviceMapping",
                        "The device '" + device + "' is used in more than one block-device mapping");
            }
            mapped.add(device);
            if (p.get(base + ".NoDevice") != null || p.get(base + ".VirtualName") != null) {
                if (!device.equals(image.rootDeviceName())) devices.remove(device);
                continue;
            }
            BlockDevice from = devices.get(device);
            devices.put(device, ebs(p, base + ".Ebs", device, from, snapshots, checkSizes));
        }
        return List.copyOf(devices.values());
    }

    private static BlockDevice ebs(QueryParams p, String base, String device, BlockDevice fromImage,
                                   List<Ec2Image> snapshots, boolean checkSizes) {
        Integer size = integer(p, base + ".VolumeSize", "volumeSize");
        String type = p.get(base + ".VolumeType");
        if (type != null && !SIZES.containsKey(type)) {
            throw Ec2Error.invalidValue("Value (" + type + ") for parameter volumeType is invalid.");
        }
        boolean delete = !"false".equalsIgnoreCase(p.get(base + ".DeleteOnTermination", "true"));
        String snapshotId = p.get(base + ".SnapshotId");
        BlockDevice origin = fromImage;
        if (snapshotId != null && !snapshotId.isEmpty() && (origin == null || !snapshotId.equals(origin.snapshotId()))) {
            origin = snapshot(snapshotId, snapshots).map(Ec2Image::rootDevice).orElseThrow(() -> new Ec2Error(400,
                    "InvalidSnapshot.NotFound", "The snapshot '" + snapshotId + "' does not exist."));
        }
        if (origin == null && size == null) {
            // seen from EC2: "Either snapshot ID or volume size must be provided for: /dev/sda1"
            throw new Ec2Error(400, "InvalidBlockDeviceMapping",
                    "Either snapshot ID or volume size must be provided for: " + device);
        }
        int gib = size != null ? size : origin.sizeGib();
        String volumeType = type != null ? type : origin != null ? origin.volumeType() : DEFAULT_TYPE;
        if (checkSizes) {
            if (origin != null && gib < origin.sizeGib()) {
                throw new Ec2Error(400, "InvalidBlockDeviceMapping", "Volume of size " + gib
                        + "GB is smaller than snapshot '" + origin.snapshotId() + "', expect size >= "
                        + origin.sizeGib() + "GB");
            }
            SizeRange range = SIZES.get(volumeType);
            if (gib < range.minGib() || gib > range.maxGib()) {
                // message n/f: the code is EC2's for a value out of range
                throw Ec2Error.invalidValue("Volume of " + gib + "GiB is outside the size range of volume type "
                        + volumeType + ": " + range.minGib() + " to " + range.maxGib() + " GiB.");
            }
        }
        return new BlockDevice(device, gib, volumeType, delete, origin == null ? null : origin.snapshotId());
    }

    private static Optional<Ec2Image> snapshot(String snapshotId, List<Ec2Image> images) {
        return images.stream().filter(i -> snapshotId.equals(i.rootSnapshotId())).findFirst();
    }

    private static Integer integer(QueryParams p, String name, String wireName) {
        String raw = p.get(name);
        if (raw == null || raw.isEmpty()) return null;
        try {
            return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            throw Ec2Error.invalidValue("Invalid value '" + raw + "' for " + wireName + ".");
        }
    }
}

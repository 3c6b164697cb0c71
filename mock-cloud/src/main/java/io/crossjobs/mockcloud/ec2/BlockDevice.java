package io.crossjobs.mockcloud.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One EBS volume an instance gets at launch: from the image's mapping, resized or retyped by RunInstances'
 * {@code BlockDeviceMapping.N}, or a new empty volume.
 *
 * @param snapshotId null for a new empty volume
 */
public record BlockDevice(String deviceName, int sizeGib, String volumeType, boolean deleteOnTermination,
                          String snapshotId) {

    /** Where an instance keeps its volumes among the simulator's per-VM attributes. */
    static final String ATTRIBUTE = "aws.blockDevices";
    /** The instance's root device name (its image's), also kept as an attribute. */
    static final String ROOT_ATTRIBUTE = "aws.rootDeviceName";

    /** The volume id of this device on {@code instanceId}: one volume per instance and device. */
    public String volumeId(String instanceId) {
        return Ec2Images.derivedId("vol", instanceId + "|" + deviceName);
    }

    /** gp3 has a 3,000 IOPS baseline; gp2 3 IOPS per GiB, at least 100 and at most 16,000. */
    public int iops() {
        return switch (volumeType) {
            case "gp3" -> 3000;
            case "gp2" -> Math.max(100, Math.min(16_000, 3 * sizeGib));
            default -> 0;
        };
    }

    static void store(Map<String, String> attributes, String rootDeviceName, List<BlockDevice> devices) {
        StringBuilder sb = new StringBuilder();
        for (BlockDevice d : devices) {
            if (sb.length() > 0) sb.append(';');
            sb.append(escape(d.deviceName)).append('|').append(d.sizeGib).append('|').append(d.volumeType)
                    .append('|').append(d.deleteOnTermination).append('|')
                    .append(d.snapshotId == null ? "" : d.snapshotId);
        }
        attributes.put(ATTRIBUTE, sb.toString());
        attributes.put(ROOT_ATTRIBUTE, rootDeviceName);
    }

    static List<BlockDevice> of(Map<String, String> attributes) {
        String raw = attributes.get(ATTRIBUTE);
        List<BlockDevice> devices = new ArrayList<>();
        if (raw == null || raw.isEmpty()) return devices;
        for (String one : raw.split(";")) {
            String[] f = one.split("\\|", -1);
            devices.add(new BlockDevice(unescape(f[0]), Integer.parseInt(f[1]), f[2], Boolean.parseBoolean(f[3]),
                    f[4].isEmpty() ? null : f[4]));
        }
        return devices;
    }

    static String rootDeviceName(Map<String, String> attributes) {
        return attributes.get(ROOT_ATTRIBUTE);
    }

    /** Device names are free text; percent-encode the separators. */
    private static String escape(String s) {
        return s.replace("%", "%25").replace("|", "%7C").replace(";", "%3B");
    }

    private static String unescape(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}

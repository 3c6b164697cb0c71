package io.crossjobs.mockcloud.ec2;

import java.time.Instant;

/**
 * One public AMI of one region, as DescribeImages shows it. Its root device is an EBS snapshot of
 * {@code rootSizeGib}: a launch may make the root volume larger, never smaller.
 *
 * @param architecture  {@code x86_64} or {@code arm64}, as EC2 spells it
 * @param ssmParameter  the public SSM parameter whose value is this image's id in its region, or null
 */
public record Ec2Image(String id, String region, String name, String description, String ownerId,
                       String architecture, String rootDeviceName, String rootSnapshotId, int rootSizeGib,
                       String rootVolumeType, Instant creationDate, String ssmParameter) {

    /** The mapping the image brings for its root device. */
    public BlockDevice rootDevice() {
        return new BlockDevice(rootDeviceName, rootSizeGib, rootVolumeType, true, rootSnapshotId);
    }
}

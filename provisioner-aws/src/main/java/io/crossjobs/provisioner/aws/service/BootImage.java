package io.crossjobs.provisioner.aws.service;

/**
 * The AMI a region boots and what a launch needs to know of it.
 *
 * @param rootDeviceName the image's root device (Ubuntu's {@code /dev/sda1}, Amazon Linux's {@code /dev/xvda}):
 *                       a BlockDeviceMapping must name it to resize the root volume (another name adds a volume)
 */
public record BootImage(String imageId, String rootDeviceName) { }

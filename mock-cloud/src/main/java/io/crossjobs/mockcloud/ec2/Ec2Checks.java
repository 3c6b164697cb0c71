package io.crossjobs.mockcloud.ec2;

/**
 * Which of EC2's refusals the mock applies (all by default; each relaxable by a {@code mock-cloud.aws.*} setting,
 * see the README's table).
 *
 * @param regionalImages    an AMI boots only in the region it is registered in (else InvalidAMIID.NotFound);
 *                          relaxed, any id boots anywhere as an Ubuntu-like image
 * @param imageArchitecture the image's architecture must be the instance type's
 * @param volumeSizes       a volume is at least its snapshot, and within its volume type's size range
 * @param userDataLimit     user data is at most 16 KB before base64
 */
public record Ec2Checks(boolean regionalImages, boolean imageArchitecture, boolean volumeSizes,
                        boolean userDataLimit) {

    public static final Ec2Checks STRICT = new Ec2Checks(true, true, true, true);
}

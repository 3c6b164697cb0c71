package io.crossjobs.mockcloud.ec2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.crossjobs.mockcloud.account.AccountState;

/**
 * How EC2 answers a broken account ({@link AccountState}), without I/O: a revoked key is refused before anything
 * else, a denied action before its parameters are looked at (also under {@code DryRun}, whose point is that
 * answer), and a launch into a region without a default VPC once the request is otherwise good.
 */
final class Ec2Account {
    static final String NO_DEFAULT_VPC = "default-vpc";

    private Ec2Account() { }

    /**
     * 401 {@code AuthFailure} for a revoked key; 403 {@code UnauthorizedOperation} with an encoded message when the
     * principal may not call {@code action}, or may launch but not tag at launch (RunInstances with
     * {@code TagSpecification} needs {@code ec2:CreateTags} too).
     */
    static void authorize(AccountState account, String action, QueryParams p) {
        if (account.credentialsRevoked()) {
            throw new Ec2Error(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
        }
        String permission = "ec2:" + action;
        if (account.deniedPermissions().contains(permission)) throw unauthorized(permission);
        if (action.equals("RunInstances") && !p.indexes("TagSpecification").isEmpty()
                && account.deniedPermissions().contains("ec2:CreateTags")) {
            throw unauthorized("ec2:CreateTags");
        }
    }

    /**
     * A launch that names no subnet goes to the region's default VPC; without one EC2 answers 400
     * {@code VPCIdNotSpecified}.
     */
    static void requireNetwork(AccountState account, String region, QueryParams p) {
        boolean subnetNamed = p.get("SubnetId") != null
                || p.indexes("NetworkInterface").stream().anyMatch(i -> p.get("NetworkInterface." + i + ".SubnetId") != null
                        || p.get("NetworkInterface." + i + ".NetworkInterfaceId") != null);
        if (!subnetNamed && !hasDefaultVpc(account, region)) {
            throw new Ec2Error(400, "VPCIdNotSpecified", "No default VPC for this user. GroupName is only supported"
                    + " for EC2-Classic and default VPC.");
        }
    }

    static boolean hasDefaultVpc(AccountState account, String region) {
        return !account.missing().contains(NO_DEFAULT_VPC + ":" + region);
    }

    /**
     * The encoded part is opaque to callers (on AWS, sts:DecodeAuthorizationMessage reads it); here it is base64 of
     * the denied action, which is all a client may rely on: that it is there.
     */
    private static Ec2Error unauthorized(String permission) {
        String encoded = Base64.getEncoder().encodeToString(("{\"allowed\":false,\"action\":\"" + permission + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        return new Ec2Error(403, "UnauthorizedOperation", "You are not authorized to perform this operation. "
                + "Encoded authorization failure message: " + encoded);
    }
}

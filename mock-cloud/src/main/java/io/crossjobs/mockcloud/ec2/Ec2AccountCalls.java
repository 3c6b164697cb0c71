package io.crossjobs.mockcloud.ec2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.crossjobs.mockcloud.account.AccountState;

/**
 * What EC2 tells about the account itself: DescribeRegions (the regions enabled for it) and DescribeVpcs (the
 * region's default VPC, absent when the account lacks {@code default-vpc:<region>}).
 */
final class Ec2AccountCalls {
    private static final Set<String> REGION_FILTERS = Set.of("endpoint", "region-name", "opt-in-status");
    private static final Set<String> VPC_FILTERS = Set.of("is-default", "vpc-id", "state", "cidr", "owner-id");
    /**
     * Regions of the mock's list that an account must opt in to (docs.aws.amazon.com/global-infrastructure/latest/
     * regions/aws-regions.html: Europe (Spain) and Asia Pacific (Malaysia) are opt-in); the mock account has.
     */
    private static final Set<String> OPT_IN = Set.of("eu-south-2", "ap-southeast-5");
    /** Every default VPC has this block (docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html). */
    static final String DEFAULT_VPC_CIDR = "172.31.0.0/16";

    private final String accountId;

    Ec2AccountCalls(String accountId) {
        this.accountId = accountId;
    }

    /** {@code RegionName.N}, {@code AllRegions}, {@code Filter.N}; every region of the mock's list is enabled. */
    String describeRegions(QueryParams p, String requestId) {
        List<String> names = p.list("RegionName");
        Ec2Filters filters = Ec2Filters.parse(p, REGION_FILTERS);
        for (String name : names) {
            if (!Ec2Images.REGIONS.contains(name)) {
                throw Ec2Error.invalidValue("Invalid region: " + name);
            }
        }
        XmlWriter x = new XmlWriter().open("DescribeRegionsResponse", Ec2Xml.NAMESPACE).leaf("requestId", requestId)
                .open("regionInfo");
        for (String region : Ec2Images.REGIONS) {
            String endpoint = "ec2." + region + ".amazonaws.com";
            String status = OPT_IN.contains(region) ? "opted-in" : "opt-in-not-required";
            if (!names.isEmpty() && !names.contains(region)) continue;
            if (!filters.matches(name -> switch (name) {
                case "endpoint" -> List.of(endpoint);
                case "region-name" -> List.of(region);
                case "opt-in-status" -> List.of(status);
                default -> List.of();
            })) continue;
            x.open("item").leaf("regionName", region).leaf("regionEndpoint", endpoint).leaf("optInStatus", status)
                    .close("item");
        }
        return x.close("regionInfo").close("DescribeRegionsResponse").toString();
    }

    /** {@code VpcId.N} and {@code Filter.N}: the region's default VPC, the only VPC the mock account has. */
    String describeVpcs(String region, AccountState account, QueryParams p, String requestId) {
        List<String> ids = p.list("VpcId");
        Ec2Filters filters = Ec2Filters.parse(p, VPC_FILTERS);
        boolean present = Ec2Account.hasDefaultVpc(account, region);
        String vpcId = defaultVpcId(region);
        for (String id : ids) {
            if (!present || !id.equals(vpcId)) {
                throw new Ec2Error(400, "InvalidVpcID.NotFound", "The vpc ID '" + id + "' does not exist");
            }
        }
        XmlWriter x = new XmlWriter().open("DescribeVpcsResponse", Ec2Xml.NAMESPACE).leaf("requestId", requestId)
                .open("vpcSet");
        if (present && filters.matches(name -> switch (name) {
            case "is-default" -> List.of("true");
            case "vpc-id" -> List.of(vpcId);
            case "state" -> List.of("available");
            case "cidr" -> List.of(DEFAULT_VPC_CIDR);
            case "owner-id" -> List.of(accountId);
            default -> List.of();
        })) {
            x.open("item").leaf("vpcId", vpcId).leaf("ownerId", accountId).leaf("state", "available")
                    .leaf("cidrBlock", DEFAULT_VPC_CIDR).leaf("dhcpOptionsId", "dopt-" + hex(region, 8))
                    .leaf("instanceTenancy", "default").leaf("isDefault", "true").close("item");
        }
        return x.close("vpcSet").close("DescribeVpcsResponse").toString();
    }

    /** Stable per region, made up: {@code vpc-} and 17 hex digits, as EC2's long ids. */
    static String defaultVpcId(String region) {
        return "vpc-" + hex(region, 17);
    }

    private static String hex(String seed, int digits) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("default-vpc:" + seed).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, digits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.crossjobs.mockcloud.ec2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public images mock-cloud's EC2 knows: a few Ubuntu and Amazon Linux AMIs, registered in each region of
 * {@link #REGIONS} under an id of that region. AMI ids are regional on EC2 (a copy in another region is another
 * image with another id), so every region gets its own id, derived from region and image name: stable across
 * restarts, made up (they are not AWS's real ids). Clients find them as on AWS, through the public SSM parameters
 * ({@link SsmApi}) or DescribeImages.
 */
public final class Ec2Images {
    public static final String UBUNTU_2204_AMD64 =
            "/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id";
    public static final String UBUNTU_2204_ARM64 =
            "/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id";
    public static final String UBUNTU_2404_AMD64 =
            "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id";
    public static final String UBUNTU_2404_ARM64 =
            "/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id";
    public static final String AL2023_X86_64 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    public static final String AL2023_ARM64 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

    /** The catalog's regions (catalog/aws.csv) first, then others the tests and the fault examples use. */
    public static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1",
            "us-west-1", "ca-central-1", "eu-central-1", "eu-west-2", "eu-west-3", "eu-north-1", "eu-south-2",
            "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-5", "ap-northeast-1", "sa-east-1");

    private static final String CANONICAL = "099720109477";
    private static final String AMAZON = "137112412989";
    private static final Instant BUILT = Instant.parse("2025-01-12T00:00:00Z");

    /** One image as published in every region; the root snapshot sizes are those of the real images (8 GiB). */
    private record Family(String name, String description, String ownerId, String architecture,
                          String rootDeviceName, int rootSizeGib, String rootVolumeType, String ssmParameter) { }

    private static final List<Family> FAMILIES = List.of(
            new Family("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250112",
                    "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image", CANONICAL, "x86_64", "/dev/sda1", 8, "gp2",
                    UBUNTU_2204_AMD64),
            new Family("ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20250112",
                    "Canonical, Ubuntu, 22.04 LTS, arm64 jammy image", CANONICAL, "arm64", "/dev/sda1", 8, "gp2",
                    UBUNTU_2204_ARM64),
            new Family("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250112",
                    "Canonical, Ubuntu, 24.04, amd64 noble image", CANONICAL, "x86_64", "/dev/sda1", 8, "gp3",
                    UBUNTU_2404_AMD64),
            new Family("ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250112",
                    "Canonical, Ubuntu, 24.04, arm64 noble image", CANONICAL, "arm64", "/dev/sda1", 8, "gp3",
                    UBUNTU_2404_ARM64),
            new Family("al2023-ami-2023.6.20250112.0-kernel-6.1-x86_64", "Amazon Linux 2023 AMI", AMAZON, "x86_64",
                    "/dev/xvda", 8, "gp3", AL2023_X86_64),
            new Family("al2023-ami-2023.6.20250112.0-kernel-6.1-arm64", "Amazon Linux 2023 AMI", AMAZON, "arm64",
                    "/dev/xvda", 8, "gp3", AL2023_ARM64));

    private final Map<String, Map<String, Ec2Image>> byRegion = new LinkedHashMap<>();

    private Ec2Images() {
        for (String region : REGIONS) {
            Map<String, Ec2Image> images = new LinkedHashMap<>();
            for (Family f : FAMILIES) {
                Ec2Image image = new Ec2Image(derivedId("ami", region + "|" + f.name()), region, f.name(),
                        f.description(), f.ownerId(), f.architecture(), f.rootDeviceName(),
                        derivedId("snap", region + "|" + f.name()), f.rootSizeGib(), f.rootVolumeType(), BUILT,
                        f.ssmParameter());
                images.put(image.id(), image);
            }
            byRegion.put(region, images);
        }
    }

    private static final Ec2Images BUILT_IN = new Ec2Images();

    public static Ec2Images builtIn() {
        return BUILT_IN;
    }

    /** The image registered under {@code imageId} in {@code region}; empty for an id of another region. */
    public Optional<Ec2Image> find(String region, String imageId) {
        return Optional.ofNullable(byRegion.getOrDefault(region, Map.of()).get(imageId));
    }

    /** The image a public SSM parameter names in {@code region}. */
    public Optional<Ec2Image> byParameter(String region, String parameter) {
        return inRegion(region).stream().filter(i -> parameter.equals(i.ssmParameter())).findFirst();
    }

    public List<Ec2Image> inRegion(String region) {
        return new ArrayList<>(byRegion.getOrDefault(region, Map.of()).values());
    }

    /**
     * What a relaxed mock ({@code mock-cloud.aws.regional-images=false}) boots for an id it does not know: an
     * image of that id with Ubuntu's root device ({@code /dev/sda1}, 8 GiB) and the instance type's architecture.
     */
    public static Ec2Image unregistered(String region, String imageId, String architecture) {
        return new Ec2Image(imageId, region, "unregistered/" + imageId, "an image mock-cloud does not know",
                "000000000000", architecture, "/dev/sda1", derivedId("snap", region + "|" + imageId), 8, "gp2",
                BUILT, null);
    }

    /** {@code prefix-0} and 16 hex digits of SHA-256(seed): the 17-digit form of EC2's current ids. */
    static String derivedId(String prefix, String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return prefix + "-0" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

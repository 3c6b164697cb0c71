package io.crossjobs.mockcloud.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * DescribeImages over the built-in images of the request's region: {@code ImageId.N}, {@code Owner.N}
 * ({@code amazon}, {@code self} or an account id) and {@code Filter.N} (name, image-id, architecture, owner-id,
 * root-device-name, state). An id not registered in the region is {@code InvalidAMIID.NotFound}, unless the
 * regional-images check is relaxed (then it describes as {@link Ec2Images#unregistered}).
 */
final class Ec2ImageCalls {
    private static final Set<String> FILTERS = Set.of("name", "image-id", "architecture", "owner-id",
            "root-device-name", "state");
    private static final String AMAZON = "137112412989";

    private final Ec2Images images;
    private final Ec2Checks checks;

    Ec2ImageCalls(Ec2Images images, Ec2Checks checks) {
        this.images = images;
        this.checks = checks;
    }

    /**
     * The image {@code imageId} as RunInstances boots it in {@code region} on {@code instanceType}.
     *
     * @throws Ec2Error InvalidAMIID.NotFound, or InvalidParameterValue for an architecture that is not the type's
     */
    Ec2Image forLaunch(String region, String imageId, String instanceType) {
        String typeArchitecture = Ec2InstanceTypes.architecture(instanceType);
        Ec2Image image = lookup(region, List.of(imageId), typeArchitecture).get(0);
        if (checks.imageArchitecture() && !image.architecture().equals(typeArchitecture)) {
            // EC2's wording (seen in answers to RunInstances); it goes on to point at describe-images
            throw Ec2Error.invalidValue("The architecture '" + typeArchitecture + "' of the specified instance"
                    + " type does not match the architecture '" + image.architecture() + "' of the specified AMI.");
        }
        return image;
    }

    String describeImages(String region, QueryParams p, String requestId) {
        List<String> ids = p.list("ImageId");
        List<String> owners = p.list("Owner");
        Ec2Filters filters = Ec2Filters.parse(p, FILTERS);
        List<Ec2Image> found = ids.isEmpty() ? images.inRegion(region) : lookup(region, ids, "x86_64");
        XmlWriter x = new XmlWriter().open("DescribeImagesResponse", Ec2Xml.NAMESPACE)
                .leaf("requestId", requestId)
                .open("imagesSet");
        for (Ec2Image image : found) {
            if (ownedByOneOf(image, owners) && filters.matches(name -> candidates(name, image))) image(x, image);
        }
        return x.close("imagesSet").close("DescribeImagesResponse").toString();
    }

    /** The images of {@code ids} in order; unregistered ones fail, or describe with {@code architecture}. */
    private List<Ec2Image> lookup(String region, List<String> ids, String architecture) {
        List<Ec2Image> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Ec2Image image = images.find(region, id).orElse(null);
            if (image == null && !checks.regionalImages()) image = Ec2Images.unregistered(region, id, architecture);
            if (image == null) missing.add(id);
            else found.add(image);
        }
        if (!missing.isEmpty()) {
            // EC2's message lists the ids in brackets: "The image id '[ami-0c55b159cbfafe1f0]' does not exist"
            throw new Ec2Error(400, "InvalidAMIID.NotFound",
                    "The image id '[" + String.join(", ", missing) + "]' does not exist");
        }
        return found;
    }

    private static boolean ownedByOneOf(Ec2Image image, List<String> owners) {
        if (owners.isEmpty()) return true;
        for (String owner : owners) {
            if (owner.equals(image.ownerId()) || ("amazon".equals(owner) && AMAZON.equals(image.ownerId()))) {
                return true;
            }
        }
        return false;  // "self": this account registered no image
    }

    private static List<String> candidates(String name, Ec2Image image) {
        return switch (name) {
            case "name" -> List.of(image.name());
            case "image-id" -> List.of(image.id());
            case "architecture" -> List.of(image.architecture());
            case "owner-id" -> List.of(image.ownerId());
            case "root-device-name" -> List.of(image.rootDeviceName());
            case "state" -> List.of("available");
            default -> List.of();
        };
    }

    private static void image(XmlWriter x, Ec2Image image) {
        x.open("item")
                .leaf("imageId", image.id())
                .leaf("imageLocation", image.ownerId() + "/" + image.name())
                .leaf("imageState", "available")
                .leaf("imageOwnerId", image.ownerId());
        if (AMAZON.equals(image.ownerId())) x.leaf("imageOwnerAlias", "amazon");
        x.leaf("creationDate", Ec2Xml.timestamp(image.creationDate()))
                .leaf("isPublic", "true")
                .leaf("architecture", image.architecture())
                .leaf("imageType", "machine")
                .leaf("name", image.name())
                .leaf("description", image.description())
                .leaf("rootDeviceType", "ebs")
                .leaf("rootDeviceName", image.rootDeviceName())
                .open("blockDeviceMapping")
                .open("item")
                .leaf("deviceName", image.rootDeviceName())
                .open("ebs")
                .leaf("snapshotId", image.rootSnapshotId())
                .leaf("volumeSize", image.rootSizeGib())
                .leaf("deleteOnTermination", "true")
                .leaf("volumeType", image.rootVolumeType())
                .leaf("encrypted", "false")
                .close("ebs")
                .close("item")
                .close("blockDeviceMapping")
                .leaf("virtualizationType", "hvm")
                .leaf("hypervisor", "xen")
                .leaf("enaSupport", "true")
                .leaf("sriovNetSupport", "simple")
                .leaf("platformDetails", "Linux/UNIX")
                .leaf("usageOperation", "RunInstances")
                .close("item");
    }
}

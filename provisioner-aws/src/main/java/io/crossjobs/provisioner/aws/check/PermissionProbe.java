package io.crossjobs.provisioner.aws.check;

import io.crossjobs.events.CloudTags;
import io.crossjobs.provisioner.aws.config.AwsConfig;
import io.crossjobs.provisioner.aws.service.AwsClients;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Asks AWS, without changing anything, whether the provisioner's principal holds each IAM action the provisioner
 * uses (the policy in the README's "Running on real clouds"): EC2's {@code DryRun} ({@code DryRunOperation} =
 * allowed, {@code UnauthorizedOperation} = denied; API reference, common parameters), SSM by reading the image
 * parameter, S3 by reading (ListObjectsV2, and a GetObject of a key that does not exist: 404 when allowed, 403 when
 * not). Writes are not probed: s3:CreateBucket, s3:PutObject and s3:DeleteObject stay open.
 */
final class PermissionProbe {
    /** The actions the provisioner uses, in the README policy's order. */
    static final List<String> ACTIONS = List.of("ec2:RunInstances", "ec2:CreateTags", "ec2:DescribeInstances",
            "ec2:DescribeImages", "ec2:TerminateInstances", "ssm:GetParameter", "s3:CreateBucket", "s3:ListBucket",
            "s3:GetObject", "s3:PutObject", "s3:DeleteObject");
    /** Well formed and never an instance of the account: TerminateInstances' dry run needs an id. */
    private static final String NO_INSTANCE = "i-00000000000000000";
    private static final String PROBE_KEY = "crossjobs-output/crossjobs-check-probe";

    private final AwsClients clients;
    private final AwsConfig config;

    PermissionProbe(AwsClients clients, AwsConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** One entry per {@link #ACTIONS}, in that order, probed in {@code region}. */
    List<Permission> probe(String region) {
        Ec2AsyncClient ec2 = clients.ec2(region);
        List<Permission> found = new ArrayList<>();
        String image = configuredImage(region);
        Permission ssm;
        if (image != null) {
            ssm = Permission.open("ssm:GetParameter", "not used: crossjobs.aws.image-id(s) set");
        } else {
            try {
                image = clients.ssm(region).getParameter(r -> r.name(config.imageSsmParameter())).join()
                        .parameter().value();
                ssm = Permission.granted("ssm:GetParameter");
            } catch (RuntimeException e) {
                CallFailure f = CallFailure.of(e);
                ssm = f.code().equals("AccessDeniedException") ? Permission.denied("ssm:GetParameter", f.code())
                        : Permission.error("ssm:GetParameter", f.code());
            }
        }
        found.addAll(launch(ec2, image));
        found.add(dryRun("ec2:DescribeInstances", () -> ec2.describeInstances(r -> r.dryRun(true))));
        String imageId = image;
        found.add(dryRun("ec2:DescribeImages", () -> ec2.describeImages(r -> {
            r.dryRun(true);
            if (imageId != null) r.imageIds(imageId);
        })));
        found.add(dryRun("ec2:TerminateInstances", () -> ec2.terminateInstances(r -> r.dryRun(true)
                .instanceIds(NO_INSTANCE))));
        found.add(ssm);
        found.add(Permission.open("s3:CreateBucket", "not probed: it would write"));
        Permission list = listBucket();
        found.add(list);
        found.add(getObject(list));
        found.add(Permission.open("s3:PutObject", "not probed: it would write"));
        found.add(Permission.open("s3:DeleteObject", "not probed: it would write"));
        return found;
    }

    /**
     * RunInstances' dry run with the launch's tags needs ec2:CreateTags too (tagging on create,
     * docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html); when refused, a dry run
     * without tags tells which of the two is missing.
     */
    private List<Permission> launch(Ec2AsyncClient ec2, String image) {
        if (image == null) {
            return List.of(Permission.open("ec2:RunInstances", "no image to dry-run with"),
                    Permission.open("ec2:CreateTags", "no image to dry-run with"));
        }
        RunInstancesRequest untagged = RunInstancesRequest.builder().dryRun(true).imageId(image)
                .instanceType(config.defaultInstanceType()).minCount(1).maxCount(1).build();
        RunInstancesRequest tagged = untagged.toBuilder().tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE)
                .tags(g -> g.key(CloudTags.MANAGED_BY).value(CloudTags.MANAGED_BY_VALUE))).build();
        Permission both = dryRun("ec2:RunInstances", () -> ec2.runInstances(tagged));
        if (both.outcome() == Permission.Outcome.GRANTED) {
            return List.of(both, Permission.granted("ec2:CreateTags"));
        }
        if (both.outcome() != Permission.Outcome.DENIED) {
            return List.of(both, Permission.open("ec2:CreateTags", "RunInstances' dry run failed"));
        }
        Permission run = dryRun("ec2:RunInstances", () -> ec2.runInstances(untagged));
        if (run.outcome() == Permission.Outcome.GRANTED) {
            return List.of(run, Permission.denied("ec2:CreateTags", both.why()));
        }
        return List.of(run, Permission.open("ec2:CreateTags", "not told while ec2:RunInstances is denied"));
    }

    private static Permission dryRun(String action, Supplier<CompletableFuture<?>> call) {
        try {
            call.get().join();
            return Permission.error(action, "answered a dry run without DryRunOperation");
        } catch (RuntimeException e) {
            CallFailure f = CallFailure.of(e);
            switch (f.code()) {
                case "DryRunOperation":
                    return Permission.granted(action);
                case "UnauthorizedOperation":
                    return Permission.denied(action, f.code());
                case "InvalidInstanceID.NotFound":
                    // the dry run looked the made-up instance up: EC2 does not say what it would allow on it
                    return Permission.open(action, "EC2 answered " + f.code() + " to the dry run");
                default:
                    return Permission.error(action, f.code());
            }
        }
    }

    private Permission listBucket() {
        try {
            clients.s3().listObjectsV2(r -> r.bucket(config.outputBucket()).prefix("crossjobs-output/").maxKeys(1))
                    .join();
            return Permission.granted("s3:ListBucket");
        } catch (RuntimeException e) {
            CallFailure f = CallFailure.of(e);
            if (f.code().equals("NoSuchBucket")) return Permission.open("s3:ListBucket", "the bucket is not made yet");
            return f.status() == 403 ? Permission.denied("s3:ListBucket", f.code())
                    : Permission.error("s3:ListBucket", f.code());
        }
    }

    /**
     * A missing key is 404 for a principal allowed to get objects and list the bucket, 403 for one that may not get
     * them (docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, Permissions); without s3:ListBucket a
     * 403 does not tell.
     */
    private Permission getObject(Permission list) {
        try {
            clients.s3().getObject(r -> r.bucket(config.outputBucket()).key(PROBE_KEY),
                    AsyncResponseTransformer.toBytes()).join();
            return Permission.granted("s3:GetObject");
        } catch (RuntimeException e) {
            CallFailure f = CallFailure.of(e);
            if (f.code().equals("NoSuchKey")) return Permission.granted("s3:GetObject");
            if (f.code().equals("NoSuchBucket")) return Permission.open("s3:GetObject", "the bucket is not made yet");
            if (f.status() == 403) {
                return list.outcome() == Permission.Outcome.GRANTED ? Permission.denied("s3:GetObject", f.code())
                        : Permission.open("s3:GetObject", f.code() + " without s3:ListBucket does not tell");
            }
            return Permission.error("s3:GetObject", f.code());
        }
    }

    private String configuredImage(String region) {
        String perRegion = config.imageIds().get(region);
        return perRegion != null ? perRegion : config.imageId().orElse(null);
    }
}

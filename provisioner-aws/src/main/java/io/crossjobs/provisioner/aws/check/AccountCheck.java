package io.crossjobs.provisioner.aws.check;

import io.crossjobs.events.AccountChecked.Finding;
import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CheckAspect;
import io.crossjobs.provisioner.aws.config.AwsConfig;
import io.crossjobs.provisioner.aws.service.AwsClients;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Region;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code crossjobs check} on AWS: one finding per {@link CheckAspect}, in order. Reads only (EC2 dry runs
 * included); every failed call becomes a finding naming AWS's error code. Calls: STS GetCallerIdentity
 * (credentials), {@link PermissionProbe} (permissions, in the first region), EC2 DescribeRegions (regions),
 * Service Quotas GetServiceQuota and EC2 DescribeInstances (vCPU quota left), EC2 DescribeVpcs (default VPC per
 * region) and S3 HeadBucket (the output bucket).
 */
@ApplicationScoped
public class AccountCheck {
    static final String POLICY = "the provisioner's policy in README \"Running on real clouds\" (AWS)";
    private static final List<String> ENABLED = List.of("opt-in-not-required", "opted-in");

    private final AwsClients clients;
    private final AwsConfig config;
    private final PermissionProbe permissions;
    private final ServiceQuotasClient serviceQuotas;

    public AccountCheck(AwsClients clients, AwsConfig config) {
        this.clients = clients;
        this.config = config;
        this.permissions = new PermissionProbe(clients, config);
        this.serviceQuotas = new ServiceQuotasClient(config, clients.credentials());
    }

    public List<Finding> check(List<String> configured) {
        List<String> regions = configured.isEmpty() ? List.of(config.outputRegion()) : List.copyOf(configured);
        Finding credentials = guarded(CheckAspect.CREDENTIALS, () -> credentials(regions.get(0)));
        if (!credentials.ok()) return AccountChecked.credentialsFailed(credentials);
        return List.of(credentials,
                guarded(CheckAspect.PERMISSIONS, () -> permissions(regions.get(0))),
                guarded(CheckAspect.REGIONS, () -> regions(regions)),
                guarded(CheckAspect.QUOTAS, () -> quotas(regions)),
                guarded(CheckAspect.NETWORK, () -> network(regions)),
                guarded(CheckAspect.STORAGE, this::storage));
    }

    private Finding credentials(String region) {
        try {
            GetCallerIdentityResponse who = clients.sts(region).getCallerIdentity().join();
            return Finding.ok(CheckAspect.CREDENTIALS, "account " + who.account() + " as " + who.arn());
        } catch (RuntimeException e) {
            CallFailure f = CallFailure.of(e);
            return Finding.failed(CheckAspect.CREDENTIALS, "STS GetCallerIdentity: " + f.code(),
                    "give the provisioner a valid, active access key: crossjobs.aws.access-key-id and"
                            + " crossjobs.aws.secret-access-key, or the SDK's default chain (environment, profile,"
                            + " instance role); a deleted or deactivated key needs a new one (IAM → Users → Security"
                            + " credentials)");
        }
    }

    private Finding permissions(String region) {
        List<Permission> all = permissions.probe(region);
        Map<Permission.Outcome, List<Permission>> by = all.stream()
                .collect(Collectors.groupingBy(Permission::outcome));
        List<Permission> denied = by.getOrDefault(Permission.Outcome.DENIED, List.of());
        List<Permission> errors = by.getOrDefault(Permission.Outcome.ERROR, List.of());
        List<Permission> open = by.getOrDefault(Permission.Outcome.OPEN, List.of());
        int granted = by.getOrDefault(Permission.Outcome.GRANTED, List.of()).size();
        String openText = open.isEmpty() ? "" : "; not told: " + join(open);
        if (!denied.isEmpty() || !errors.isEmpty()) {
            String detail = (denied.isEmpty() ? "" : "denied: " + join(denied))
                    + (errors.isEmpty() ? "" : (denied.isEmpty() ? "" : "; ") + "could not check: " + join(errors))
                    + " (in " + region + ")" + openText;
            return Finding.failed(CheckAspect.PERMISSIONS, detail, "allow these actions to the provisioner's"
                    + " principal: " + POLICY);
        }
        return Finding.ok(CheckAspect.PERMISSIONS, granted + " of " + all.size() + " permissions granted (in "
                + region + ")" + openText);
    }

    private Finding regions(List<String> regions) {
        Map<String, String> status = clients.ec2(regions.get(0)).describeRegions(r -> r.allRegions(true)).join()
                .regions().stream().collect(Collectors.toMap(Region::regionName, Region::optInStatus, (a, b) -> a));
        List<String> unknown = regions.stream().filter(r -> !status.containsKey(r)).toList();
        List<String> disabled = regions.stream().filter(r -> status.containsKey(r) && !ENABLED.contains(status.get(r)))
                .toList();
        if (!unknown.isEmpty() || !disabled.isEmpty()) {
            String detail = (unknown.isEmpty() ? "" : "not EC2 regions: " + String.join(", ", unknown))
                    + (disabled.isEmpty() ? "" : (unknown.isEmpty() ? "" : "; ") + "not enabled: "
                    + disabled.stream().map(r -> r + " (" + status.get(r) + ")").collect(Collectors.joining(", ")));
            return Finding.failed(CheckAspect.REGIONS, detail, "enable opt-in regions in the AWS console (Account →"
                    + " AWS Regions), or remove them from crossjobs.provisioner.regions");
        }
        return Finding.ok(CheckAspect.REGIONS, String.join(", ", regions) + " enabled");
    }

    /** Fails when a region has no Standard On-Demand vCPU left; GPU quotas are only reported. */
    private Finding quotas(List<String> regions) {
        List<String> standard = new ArrayList<>();
        List<String> gpus = new ArrayList<>();
        List<String> exhausted = new ArrayList<>();
        for (String region : regions) {
            List<Instance> alive = alive(region);
            double limit = serviceQuotas.value(region, "ec2", VcpuQuotas.STANDARD.quotaCode());
            Optional<Integer> used = VcpuQuotas.used(VcpuQuotas.STANDARD, alive);
            String left = used.map(u -> fmt(limit - u) + " of " + fmt(limit)).orElse("? of " + fmt(limit)
                    + " (an instance without cpuOptions)");
            standard.add(region + " " + left);
            if (limit - used.orElse(0) <= 0) exhausted.add(region);
            for (VcpuQuotas.Group g : VcpuQuotas.GPU) {
                gpus.add(region + " " + g.name() + " " + gpuQuota(region, g));
            }
        }
        String detail = "On-Demand " + VcpuQuotas.STANDARD.name() + " vCPUs (" + VcpuQuotas.STANDARD.quotaCode()
                + ") left: " + String.join(", ", standard) + "; GPU vCPU quotas: " + String.join(", ", gpus);
        if (!exhausted.isEmpty()) {
            return Finding.failed(CheckAspect.QUOTAS, detail, "request an increase of "
                    + VcpuQuotas.STANDARD.quotaCode() + " (Running On-Demand Standard instances) in "
                    + String.join(", ", exhausted) + " (Service Quotas console → Amazon EC2), or end instances there");
        }
        return Finding.ok(CheckAspect.QUOTAS, detail);
    }

    private String gpuQuota(String region, VcpuQuotas.Group g) {
        try {
            return fmt(serviceQuotas.value(region, "ec2", g.quotaCode()));
        } catch (RuntimeException e) {
            return "not read (" + CallFailure.of(e).code() + ")";
        }
    }

    private List<Instance> alive(String region) {
        List<Instance> found = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            DescribeInstancesResponse page = clients.ec2(region).describeInstances(r -> r.maxResults(config.pageSize())
                    .nextToken(token).filters(Filter.builder().name("instance-state-name")
                            .values("pending", "running").build())).join();
            for (Reservation res : page.reservations()) found.addAll(res.instances());
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return found;
    }

    /** Launches name no subnet, so each region needs its default VPC. */
    private Finding network(List<String> regions) {
        List<String> without = new ArrayList<>();
        for (String region : regions) {
            boolean present = !clients.ec2(region).describeVpcs(r -> r.filters(Filter.builder().name("is-default")
                    .values("true").build())).join().vpcs().isEmpty();
            if (!present) without.add(region);
        }
        if (!without.isEmpty()) {
            return Finding.failed(CheckAspect.NETWORK, "no default VPC in " + String.join(", ", without)
                    + " (launches there fail with VPCIdNotSpecified)", without.stream()
                    .map(r -> "aws ec2 create-default-vpc --region " + r).collect(Collectors.joining("; "))
                    + " (README \"Running on real clouds\", AWS)");
        }
        return Finding.ok(CheckAspect.NETWORK, "default VPC in " + regions.size() + " of " + regions.size()
                + " regions");
    }

    private Finding storage() {
        String bucket = config.outputBucket();
        try {
            HeadBucketResponse head = clients.s3().headBucket(b -> b.bucket(bucket)).join();
            return Finding.ok(CheckAspect.STORAGE, "bucket " + bucket + " in "
                    + Optional.ofNullable(head.bucketRegion()).orElse(config.outputRegion()));
        } catch (RuntimeException e) {
            CallFailure f = CallFailure.of(e);
            if (f.status() == 404) {
                return Finding.ok(CheckAspect.STORAGE, "bucket " + bucket + " not made yet: the first launch makes it"
                        + " in " + config.outputRegion());
            }
            if (f.status() == 403) {
                return Finding.failed(CheckAspect.STORAGE, "bucket " + bucket + ": HeadBucket 403 (another account"
                        + " owns the name, or s3:ListBucket is denied)", "set crossjobs.aws.output-bucket to a name of"
                        + " yours, e.g. crossjobs-output-<account id>, and allow it in " + POLICY);
            }
            return Finding.failed(CheckAspect.STORAGE, "bucket " + bucket + ": HeadBucket " + f.code(),
                    "check crossjobs.aws.output-bucket and crossjobs.aws.output-region");
        }
    }

    /** Any failed call of an aspect is that aspect's finding, named by AWS's error code. */
    private static Finding guarded(CheckAspect aspect, java.util.function.Supplier<Finding> look) {
        try {
            return look.get();
        } catch (RuntimeException e) {
            CallFailure f = CallFailure.of(e);
            String fix = f.code().equals("UnauthorizedOperation") || f.code().equals("AccessDeniedException")
                    ? "allow the check's read calls (ec2:DescribeRegions, ec2:DescribeVpcs, ec2:DescribeInstances,"
                    + " servicequotas:GetServiceQuota) to the provisioner's principal: " + POLICY
                    : "try again; if it persists, see the provisioner's log";
            return Finding.failed(aspect, "a call failed: " + f.code() + (f.message() == null ? ""
                    : " (" + shorten(f.message()) + ")"), fix);
        }
    }

    private static String join(List<Permission> permissions) {
        return permissions.stream().map(Permission::toString).collect(Collectors.joining(", "));
    }

    private static String fmt(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
    }

    private static String shorten(String s) {
        return s.length() <= 160 ? s : s.substring(0, 157) + "...";
    }

}

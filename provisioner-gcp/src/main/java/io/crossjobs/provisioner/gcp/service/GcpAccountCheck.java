package io.crossjobs.provisioner.gcp.service;

import com.google.cloud.compute.v1.Network;
import com.google.cloud.compute.v1.Quota;
import com.google.cloud.compute.v1.Region;
import com.google.cloud.storage.Bucket;
import io.crossjobs.events.AccountChecked.Finding;
import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CheckAspect;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code crossjobs check} for a GCP project: who signs (the service account of the upload policies and signed
 * URLs), Resource Manager's testIamPermissions for every permission the provisioner uses, regions.get of each
 * configured region (its status and its {@code quotas}), networks.get of the network nodes attach to, and
 * buckets.get of the output bucket. Reads only; every failed call becomes a failed finding named by Google's
 * reason and status. Once the credentials fail, the later aspects are reported as not checked.
 */
@ApplicationScoped
public class GcpAccountCheck {
    /**
     * Every permission the provisioner's calls need, as the least-privilege role in the README lists them: launch
     * (instances.insert authorizes the instance, its disk, image, subnetwork, external address, metadata and
     * labels), poll, preemption events, node addresses, delete, the check's own reads, and Cloud Storage.
     */
    static final List<String> PERMISSIONS = List.of(
            "compute.instances.create", "compute.instances.delete", "compute.instances.get",
            "compute.instances.list", "compute.instances.setMetadata", "compute.instances.setLabels",
            "compute.disks.create", "compute.subnetworks.use", "compute.subnetworks.useExternalIp",
            "compute.images.useReadOnly", "compute.zoneOperations.get", "compute.zoneOperations.list",
            "compute.regions.get", "compute.networks.get",
            "storage.buckets.get", "storage.buckets.create", "storage.objects.list", "storage.objects.get",
            "storage.objects.create", "storage.objects.delete");
    /** Signing without a key file goes through the IAM Credentials API. */
    static final String SIGN_BLOB = "iam.serviceAccounts.signBlob";
    /** The regional quota of the N1 and E2 (and shared-core) vCPUs the catalog's general-purpose types use. */
    static final String CPUS = "CPUS";
    static final String POLICY = "README \"Running on real clouds\", GCP";

    private final GcpConfig config;
    private final GceClients compute;
    private final GcsClients storage;
    private final GcsOutputStore output;
    private final ResourceManagerClient resourceManager;

    public GcpAccountCheck(GcpConfig config, GceClients compute, GcsClients storage, GcsOutputStore output,
                           ResourceManagerClient resourceManager) {
        this.config = config;
        this.compute = compute;
        this.storage = storage;
        this.output = output;
        this.resourceManager = resourceManager;
    }

    public List<Finding> check(List<String> regions) {
        List<Finding> findings = new ArrayList<>();
        String identity;
        try {
            identity = storage.signer().getAccount();
        } catch (RuntimeException e) {
            return credentialsFailed("no service account to sign the nodes' uploads with: "
                    + rootMessage(e), "set crossjobs.gcp.signing-credentials-file to a service account key, or give "
                    + "Application Default Credentials of a service account (" + POLICY + ")");
        }
        List<String> wanted = new ArrayList<>(PERMISSIONS);
        if (config.signingCredentialsFile().isEmpty()) wanted.add(SIGN_BLOB);
        Set<String> granted;
        try {
            granted = resourceManager.testIamPermissions(wanted);
        } catch (ResourceManagerClient.CallFailed e) {
            if (e.status() == 401) {
                return credentialsFailed("project " + config.project() + " refuses the "
                        + "credentials of " + identity + ": " + e.reason() + " (401)", "renew them: a new key for "
                        + "crossjobs.gcp.signing-credentials-file / GOOGLE_APPLICATION_CREDENTIALS, or `gcloud auth "
                        + "application-default login`");
            }
            findings.add(credentialsOk(identity));
            findings.add(Finding.failed(CheckAspect.PERMISSIONS, "testIamPermissions on project " + config.project()
                    + " failed: " + e.reason() + " (" + e.status() + ")", "enable the Cloud Resource Manager API and "
                    + "check crossjobs.gcp.project"));
            granted = null;
        } catch (IOException | RuntimeException e) {
            return credentialsFailed("cannot ask project " + config.project()
                    + " with the credentials of " + identity + ": " + rootMessage(e), "check Application Default "
                    + "Credentials (GOOGLE_APPLICATION_CREDENTIALS) and the network towards Google's APIs");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return credentialsFailed("interrupted", "run the check again");
        }
        if (granted != null) {
            findings.add(credentialsOk(identity));
            findings.add(permissions(wanted, granted, identity));
        }
        Map<String, Region> found = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (String region : regions) {
            try {
                found.put(region, compute.regions().get(config.project(), region));
            } catch (RuntimeException e) {
                refused.add(region + " " + code(e));
            }
        }
        findings.add(regions(found, refused));
        findings.add(quotas(found));
        findings.add(network());
        findings.add(bucket());
        return findings;
    }

    private Finding credentialsOk(String identity) {
        return Finding.ok(CheckAspect.CREDENTIALS, "project " + config.project() + ", service account " + identity);
    }

    static Finding permissions(List<String> wanted, Set<String> granted, String identity) {
        List<String> missing = wanted.stream().filter(p -> !granted.contains(p)).toList();
        if (missing.isEmpty()) return Finding.ok(CheckAspect.PERMISSIONS, "all " + wanted.size() + " permissions granted");
        return Finding.failed(CheckAspect.PERMISSIONS, "not granted: " + String.join(", ", missing) + " ("
                + (wanted.size() - missing.size()) + " of " + wanted.size() + " granted)", "add them to the role of "
                + identity + " (the least-privilege role in " + POLICY + ")");
    }

    static Finding regions(Map<String, Region> found, List<String> refused) {
        List<String> down = found.values().stream().filter(r -> !"UP".equals(r.getStatus()))
                .map(r -> r.getName() + " " + r.getStatus()).toList();
        if (refused.isEmpty() && down.isEmpty()) {
            return Finding.ok(CheckAspect.REGIONS, String.join(", ", found.keySet()) + " UP");
        }
        List<String> wrong = new ArrayList<>(refused);
        wrong.addAll(down);
        return Finding.failed(CheckAspect.REGIONS, "not usable: " + String.join(", ", wrong),
                "set crossjobs.provisioner.regions to Compute Engine regions (`gcloud compute regions list`)");
    }

    /**
     * Fails when a region has no {@link #CPUS} left (limit minus usage); the GPU quotas above 0 are only named,
     * as a new project has none and most jobs need none.
     */
    static Finding quotas(Map<String, Region> regions) {
        if (regions.isEmpty()) return Finding.failed(CheckAspect.QUOTAS, "not checked: no region could be read",
                "see REGIONS");
        List<String> left = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        List<String> gpus = new ArrayList<>();
        regions.forEach((name, r) -> {
            Quota cpus = r.getQuotasList().stream().filter(q -> q.getMetric().equals(CPUS)).findFirst().orElse(null);
            if (cpus == null) {
                empty.add(name + " has no " + CPUS + " quota");
                return;
            }
            long free = (long) Math.floor(cpus.getLimit() - cpus.getUsage());
            String text = name + " " + Math.max(free, 0) + " of " + (long) cpus.getLimit();
            left.add(text);
            if (free <= 0) empty.add(text);
            r.getQuotasList().stream().filter(q -> q.getMetric().matches("NVIDIA_.*_GPUS") && q.getLimit() > 0)
                    .forEach(q -> gpus.add(name + " " + q.getMetric() + " " + (long) q.getLimit()));
        });
        String gpuText = "; GPU quotas above 0: " + (gpus.isEmpty() ? "none" : String.join(", ", gpus));
        if (!empty.isEmpty()) {
            return Finding.failed(CheckAspect.QUOTAS, "no " + CPUS + " (vCPUs) left: " + String.join(", ", empty),
                    "request an increase of " + CPUS + " in " + empty.stream().map(s -> s.split(" ")[0])
                            .collect(Collectors.joining(", ")) + " (console: IAM & Admin > Quotas, "
                            + "compute.googleapis.com/cpus)");
        }
        return Finding.ok(CheckAspect.QUOTAS, CPUS + " left: " + String.join(", ", left) + gpuText);
    }

    private Finding network() {
        try {
            Network n = compute.networks().get(config.project(), config.network());
            return Finding.ok(CheckAspect.NETWORK, "VPC network " + n.getName() + " ("
                    + (n.getAutoCreateSubnetworks() ? "auto" : "custom") + " mode)");
        } catch (RuntimeException e) {
            return Finding.failed(CheckAspect.NETWORK, "VPC network " + config.network() + " of project "
                    + config.project() + ": " + code(e), "create it (`gcloud compute networks create "
                    + config.network() + " --subnet-mode=auto` and a firewall rule allowing internal traffic for "
                    + "multi-node jobs) or set crossjobs.gcp.network to one that exists");
        }
    }

    private Finding bucket() {
        String name = output.bucket();
        try {
            Bucket b = storage.storage().get(name);
            if (b == null) {
                return Finding.ok(CheckAspect.STORAGE, "bucket " + name + " not made yet: made on first launch in "
                        + config.outputBucketLocation());
            }
            return Finding.ok(CheckAspect.STORAGE, "bucket " + name + " in " + b.getLocation());
        } catch (RuntimeException e) {
            return Finding.failed(CheckAspect.STORAGE, "bucket " + name + ": " + code(e), "bucket names are global: "
                    + "if another project owns it, set crossjobs.gcp.output-bucket to a name of yours");
        }
    }

    private static List<Finding> credentialsFailed(String detail, String fix) {
        return AccountChecked.credentialsFailed(Finding.failed(CheckAspect.CREDENTIALS, detail, fix));
    }

    private static String code(Throwable e) {
        var error = GceErrorClassifier.classify(e);
        return error.code() + (error.message() == null ? "" : ": " + error.message());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}

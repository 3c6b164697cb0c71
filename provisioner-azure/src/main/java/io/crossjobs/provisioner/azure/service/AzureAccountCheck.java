package io.crossjobs.provisioner.azure.service;

import com.azure.core.util.Context;
import com.azure.resourcemanager.authorization.fluent.models.PermissionInner;
import com.azure.resourcemanager.compute.fluent.models.UsageInner;
import com.azure.resourcemanager.resources.fluent.models.LocationInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.azure.resourcemanager.resources.fluent.models.SubscriptionInner;
import com.azure.resourcemanager.resources.models.SubscriptionState;
import io.crossjobs.events.AccountChecked.Finding;
import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CheckAspect;
import io.crossjobs.provisioner.azure.config.AzureConfig;
import io.crossjobs.provisioner.model.CloudError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code crossjobs check} on Azure, read-only: the subscription (Subscriptions - Get) for credentials; the
 * principal's permissions on the resource group (Permissions - List For Resource Group) against
 * {@link AzurePermissions#REQUIRED}; the configured regions among the subscription's locations; Compute's usages
 * per region (Total Regional vCPUs must have room; spot and GPU families only reported); the resource group; the
 * output container. A failed call becomes a failed finding named by Azure's error code; nothing is thrown.
 */
final class AzureAccountCheck {
    private static final String POLICY = "the least-privilege role in README.md, \"Running on real clouds\" (Azure)";
    private static final String CORES = "cores";
    private static final String LOW_PRIORITY = "lowPriorityCores";

    private final AzureClients.AccountClients arm;
    private final AzureOutputStore storage;
    private final AzureConfig config;

    AzureAccountCheck(AzureClients.AccountClients arm, AzureOutputStore storage, AzureConfig config) {
        this.arm = arm;
        this.storage = storage;
        this.config = config;
    }

    List<Finding> check(List<String> regions) {
        List<Finding> findings = new ArrayList<>();
        Finding credentials = guarded(CheckAspect.CREDENTIALS, this::credentials,
                "sign the provisioner in for DefaultAzureCredential (AZURE_CLIENT_ID/AZURE_CLIENT_SECRET/AZURE_TENANT_ID,"
                        + " a managed identity, or az login) and check crossjobs.azure.subscription-id");
        if (!credentials.ok()) return AccountChecked.credentialsFailed(credentials);
        findings.add(credentials);
        findings.add(guarded(CheckAspect.PERMISSIONS, this::permissions, "grant the provisioner's principal " + POLICY
                + " on resource group " + config.resourceGroup()));
        findings.add(guarded(CheckAspect.REGIONS, () -> regions(regions),
                "set crossjobs.provisioner.regions to locations of the subscription (az account list-locations)"));
        findings.add(guarded(CheckAspect.QUOTAS, () -> quotas(regions),
                "request a vCPU quota increase (portal: Quotas > Compute) in the regions named"));
        findings.add(guarded(CheckAspect.NETWORK, this::network, "az group create -n " + config.resourceGroup()
                + " -l <region>, or set crossjobs.azure.resource-group to an existing group"));
        findings.add(guarded(CheckAspect.STORAGE, this::storage, "set crossjobs.azure.storage.account and"
                + " CROSSJOBS_AZURE_STORAGE_ACCOUNT_KEY to an existing account and one of its keys"
                + " (az storage account keys list -n " + config.storage().account() + ")"));
        return findings;
    }

    private Finding credentials() {
        SubscriptionInner s = arm.subscriptions().get(config.subscriptionId());
        String detail = "subscription " + config.subscriptionId()
                + (s.displayName() == null ? "" : " (" + s.displayName() + ")") + ", " + s.state();
        if (s.state() == SubscriptionState.DISABLED || s.state() == SubscriptionState.DELETED) {
            return Finding.failed(CheckAspect.CREDENTIALS, detail, "re-enable the subscription in the Azure portal"
                    + " (Subscriptions), or set crossjobs.azure.subscription-id to an enabled one");
        }
        return Finding.ok(CheckAspect.CREDENTIALS, detail);
    }

    /**
     * Permissions can only be listed on a resource group that exists: without it, they are not checked here and
     * NETWORK names the missing group.
     */
    private Finding permissions() {
        List<PermissionInner> granted = new ArrayList<>();
        try {
            arm.permissions().listByResourceGroup(config.resourceGroup(), Context.NONE).forEach(granted::add);
        } catch (RuntimeException e) {
            if (!"ResourceGroupNotFound".equals(code(e))) throw e;
            return Finding.ok(CheckAspect.PERMISSIONS, "not checkable before resource group " + config.resourceGroup()
                    + " exists (see NETWORK)");
        }
        List<String> missing = AzurePermissions.missing(granted);
        int required = AzurePermissions.REQUIRED.size();
        if (missing.isEmpty()) {
            return Finding.ok(CheckAspect.PERMISSIONS, "all " + required + " actions granted on resource group "
                    + config.resourceGroup());
        }
        return Finding.failed(CheckAspect.PERMISSIONS, missing.size() + " of " + required + " actions not granted on"
                + " resource group " + config.resourceGroup() + ": " + String.join(", ", missing),
                "grant " + String.join(", ", missing) + " (" + POLICY + ")");
    }

    private Finding regions(List<String> regions) {
        Set<String> locations = new TreeSet<>();
        for (LocationInner l : arm.subscriptions().listLocations(config.subscriptionId())) {
            if (l.name() != null) locations.add(l.name().toLowerCase(Locale.ROOT));
        }
        List<String> unknown = regions.stream().filter(r -> !locations.contains(r.toLowerCase(Locale.ROOT))).toList();
        if (unknown.isEmpty()) return Finding.ok(CheckAspect.REGIONS, String.join(", ", regions) + " available");
        return Finding.failed(CheckAspect.REGIONS, String.join(", ", unknown) + " not a location of subscription "
                + config.subscriptionId(), "set crossjobs.provisioner.regions to locations the subscription lists"
                + " (az account list-locations --query [].name)");
    }

    /** Usage - List per region; fails where Total Regional vCPUs has no room left. */
    private Finding quotas(List<String> regions) {
        List<String> onDemand = new ArrayList<>();
        List<String> spot = new ArrayList<>();
        List<String> gpus = new ArrayList<>();
        List<String> full = new ArrayList<>();
        for (String region : regions) {
            List<UsageInner> usages = new ArrayList<>();
            arm.usages().list(region, Context.NONE).forEach(usages::add);
            for (UsageInner u : usages) {
                String metric = u.name() == null ? "" : u.name().value();
                long left = Math.max(0, u.limit() - u.currentValue());
                String figure = region + " " + left + " of " + u.limit();
                if (CORES.equalsIgnoreCase(metric)) {
                    onDemand.add(figure);
                    if (left <= 0) full.add(region);
                } else if (LOW_PRIORITY.equalsIgnoreCase(metric)) {
                    spot.add(figure);
                } else if (gpuFamily(metric) && u.limit() > 0) {
                    gpus.add(region + " " + metric + " " + left + " of " + u.limit());
                }
            }
            if (usages.stream().noneMatch(u -> u.name() != null && CORES.equalsIgnoreCase(u.name().value()))) {
                onDemand.add(region + " not listed");
                full.add(region);
            }
        }
        String detail = "on-demand vCPUs left (Total Regional vCPUs): " + String.join(", ", onDemand)
                + "; spot (Total Regional Low-priority vCPUs): " + String.join(", ", spot)
                + "; GPU families: " + (gpus.isEmpty() ? "none" : String.join(", ", gpus));
        if (full.isEmpty()) return Finding.ok(CheckAspect.QUOTAS, detail);
        return Finding.failed(CheckAspect.QUOTAS, detail, "request an increase of Total Regional vCPUs in "
                + String.join(", ", full) + " (portal: Quotas > Compute)");
    }

    private Finding network() {
        try {
            ResourceGroupInner group = arm.resourceGroups().get(config.resourceGroup());
            String made = config.subnetIdTemplate().isPresent() ? "subnets from crossjobs.azure.subnet-id-template"
                    : "VNets crossjobs-<region> made on first launch";
            return Finding.ok(CheckAspect.NETWORK, "resource group " + config.resourceGroup() + " in "
                    + group.location() + "; " + made);
        } catch (RuntimeException e) {
            if (!"ResourceGroupNotFound".equals(code(e))) throw e;
            return Finding.failed(CheckAspect.NETWORK, "resource group " + config.resourceGroup() + " not found"
                    + " (ResourceGroupNotFound)", "az group create -n " + config.resourceGroup() + " -l <region>,"
                    + " or set crossjobs.azure.resource-group to an existing group");
        }
    }

    private Finding storage() {
        String where = "container " + storage.containerName() + " in account " + storage.accountName();
        return Finding.ok(CheckAspect.STORAGE, storage.containerExists() ? where + " exists"
                : where + " made on first launch (the account accepts the key)");
    }

    /** Runs one aspect's calls; a failure is that aspect's failed finding, named by Azure's error code. */
    private static Finding guarded(CheckAspect aspect, java.util.function.Supplier<Finding> check, String fix) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            CloudError error = AzureErrorClassifier.classify(e);
            String message = error.message() == null ? "" : error.message();
            if (message.length() > 300) message = message.substring(0, 300) + "...";
            return Finding.failed(aspect, error.code() + ": " + message, fix);
        }
    }

    private static String code(RuntimeException e) {
        return AzureErrorClassifier.classify(e).code();
    }

    private static boolean gpuFamily(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.startsWith("standardnc") || m.startsWith("standardnd") || m.startsWith("standardnv");
    }
}

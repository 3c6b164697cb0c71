package io.crossjobs.mockcloud.arm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.quotas.QuotaUsage;

/**
 * What Resource Manager says about the subscription itself, for {@code crossjobs check}: Subscriptions - Get,
 * Subscriptions - List Locations, Resource Groups - Get / Check Existence, and Compute's Usage - List (the mock
 * account's quotas of a location, from {@code quotas}). Every subscription id exists and is Enabled; every resource
 * group exists unless the mock account lacks it ({@link ArmAccount}).
 */
final class ArmSubscription {
    /** Physical regions: name → display name (learn.microsoft.com/azure/reliability/regions-list; a subset). */
    static final Map<String, String> LOCATIONS = locations();
    private static final Pattern FAMILY = Pattern.compile("standard(.+)Family");

    private final Function<String, List<QuotaUsage>> usages;
    private final String resourceGroupLocation;

    /**
     * @param usages                the mock account's Azure quotas in a location, with what the VMs alive take
     * @param resourceGroupLocation the location every resource group reports (its metadata's home; VMs may be anywhere)
     */
    ArmSubscription(Function<String, List<QuotaUsage>> usages, String resourceGroupLocation) {
        this.usages = usages;
        this.resourceGroupLocation = resourceGroupLocation;
    }

    ArmResponse subscription(String sub) {
        ObjectNode s = ArmResponse.JSON.createObjectNode().put("id", "/subscriptions/" + sub).put("subscriptionId", sub)
                .put("displayName", "crossjobs mock subscription").put("state", "Enabled")
                .put("authorizationSource", "RoleBased");
        s.putObject("subscriptionPolicies").put("locationPlacementId", "Public_2014-09-01")
                .put("quotaId", "PayAsYouGo_2014-09-01").put("spendingLimit", "Off");
        return ArmResponse.json(200, s);
    }

    ArmResponse locations(String sub) {
        ObjectNode page = ArmResponse.JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        LOCATIONS.forEach((name, display) -> {
            ObjectNode l = value.addObject().put("id", "/subscriptions/" + sub + "/locations/" + name)
                    .put("name", name).put("type", "Region").put("displayName", display)
                    .put("regionalDisplayName", display);
            l.putObject("metadata").put("regionType", "Physical").put("regionCategory", "Recommended");
        });
        return ArmResponse.json(200, page);
    }

    /** GET: the group; HEAD (Check Existence): 204. A missing group never gets here (ArmAccount: 404). */
    ArmResponse resourceGroup(String method, String sub, String rg) {
        if (method.equals("HEAD")) return ArmResponse.empty(204);
        ObjectNode g = ArmResponse.JSON.createObjectNode().put("id", "/subscriptions/" + sub + "/resourceGroups/" + rg)
                .put("name", rg).put("type", "Microsoft.Resources/resourceGroups").put("location", resourceGroupLocation);
        g.putObject("properties").put("provisioningState", "Succeeded");
        return ArmResponse.json(200, g);
    }

    /**
     * Usage - List: {@code name.value} the metric, {@code currentValue} and {@code limit} in vCPUs, unit Count. A
     * location the subscription does not list is 400 {@code NoRegisteredProviderFound}, naming the supported ones.
     */
    ArmResponse usages(String location, String apiVersion) {
        if (!LOCATIONS.containsKey(location.toLowerCase(Locale.ROOT))) {
            return ArmResponse.error(400, "NoRegisteredProviderFound", "No registered resource provider found for"
                    + " location '" + location + "' and API version '" + apiVersion + "' for type 'locations/usages'."
                    + " The supported locations are '" + String.join(", ", LOCATIONS.keySet()) + "'.");
        }
        ObjectNode page = ArmResponse.JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        for (QuotaUsage u : usages.apply(location.toLowerCase(Locale.ROOT))) {
            ObjectNode item = value.addObject().put("unit", "Count").put("currentValue", (long) u.usage())
                    .put("limit", (long) u.limit());
            item.putObject("name").put("value", u.metric()).put("localizedValue", localized(u));
        }
        return ArmResponse.json(200, page);
    }

    /** standardDSv5Family → "Standard DSv5 Family vCPUs", as the portal and Usage - List name families. */
    private static String localized(QuotaUsage u) {
        Matcher m = FAMILY.matcher(u.metric());
        return m.matches() ? "Standard " + m.group(1) + " Family vCPUs" : u.name();
    }

    private static Map<String, String> locations() {
        Map<String, String> l = new LinkedHashMap<>();
        String[][] all = {{"eastus", "East US"}, {"eastus2", "East US 2"}, {"westus", "West US"},
            {"westus2", "West US 2"}, {"westus3", "West US 3"}, {"centralus", "Central US"},
            {"northcentralus", "North Central US"}, {"southcentralus", "South Central US"},
            {"westcentralus", "West Central US"}, {"canadacentral", "Canada Central"}, {"canadaeast", "Canada East"},
            {"brazilsouth", "Brazil South"}, {"northeurope", "North Europe"}, {"westeurope", "West Europe"},
            {"uksouth", "UK South"}, {"ukwest", "UK West"}, {"francecentral", "France Central"},
            {"germanywestcentral", "Germany West Central"}, {"swedencentral", "Sweden Central"},
            {"switzerlandnorth", "Switzerland North"}, {"norwayeast", "Norway East"}, {"italynorth", "Italy North"},
            {"polandcentral", "Poland Central"}, {"eastasia", "East Asia"}, {"southeastasia", "Southeast Asia"},
            {"japaneast", "Japan East"}, {"japanwest", "Japan West"}, {"koreacentral", "Korea Central"},
            {"australiaeast", "Australia East"}, {"australiasoutheast", "Australia Southeast"},
            {"centralindia", "Central India"}, {"southindia", "South India"}, {"uaenorth", "UAE North"},
            {"southafricanorth", "South Africa North"}};
        for (String[] r : all) l.put(r[0], r[1]);
        return java.util.Collections.unmodifiableMap(l);
    }
}

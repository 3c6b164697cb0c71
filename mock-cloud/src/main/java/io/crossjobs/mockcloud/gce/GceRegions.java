package io.crossjobs.mockcloud.gce;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.quotas.QuotaUsage;

/**
 * regions.get and regions.list (cloud.google.com/compute/docs/reference/rest/v1/regions): the region resource with
 * its zones and its {@code quotas} array ({@code metric}, {@code limit}, {@code usage}) read from the mock account's
 * quotas, regional ones only (global quotas such as {@code CPUS_ALL_REGIONS} are the project's, not a region's).
 */
final class GceRegions {
    /**
     * Compute Engine's public regions and their zones (cloud.google.com/compute/docs/regions-zones); most have
     * {@code -a}, {@code -b}, {@code -c}, the exceptions are listed.
     */
    private static final Map<String, List<String>> ZONES = Map.ofEntries(
            Map.entry("us-central1", List.of("a", "b", "c", "f")), Map.entry("us-east1", List.of("b", "c", "d")),
            Map.entry("us-east4", List.of("a", "b", "c")), Map.entry("us-east5", List.of("a", "b", "c")),
            Map.entry("us-south1", List.of("a", "b", "c")), Map.entry("us-west1", List.of("a", "b", "c")),
            Map.entry("us-west2", List.of("a", "b", "c")), Map.entry("us-west3", List.of("a", "b", "c")),
            Map.entry("us-west4", List.of("a", "b", "c")),
            Map.entry("northamerica-northeast1", List.of("a", "b", "c")),
            Map.entry("northamerica-northeast2", List.of("a", "b", "c")),
            Map.entry("southamerica-east1", List.of("a", "b", "c")),
            Map.entry("southamerica-west1", List.of("a", "b", "c")),
            Map.entry("europe-west1", List.of("b", "c", "d")), Map.entry("europe-west2", List.of("a", "b", "c")),
            Map.entry("europe-west3", List.of("a", "b", "c")), Map.entry("europe-west4", List.of("a", "b", "c")),
            Map.entry("europe-west6", List.of("a", "b", "c")), Map.entry("europe-west8", List.of("a", "b", "c")),
            Map.entry("europe-west9", List.of("a", "b", "c")), Map.entry("europe-west10", List.of("a", "b", "c")),
            Map.entry("europe-west12", List.of("a", "b", "c")), Map.entry("europe-central2", List.of("a", "b", "c")),
            Map.entry("europe-north1", List.of("a", "b", "c")),
            Map.entry("europe-southwest1", List.of("a", "b", "c")),
            Map.entry("asia-east1", List.of("a", "b", "c")), Map.entry("asia-east2", List.of("a", "b", "c")),
            Map.entry("asia-northeast1", List.of("a", "b", "c")), Map.entry("asia-northeast2", List.of("a", "b", "c")),
            Map.entry("asia-northeast3", List.of("a", "b", "c")), Map.entry("asia-south1", List.of("a", "b", "c")),
            Map.entry("asia-south2", List.of("a", "b", "c")), Map.entry("asia-southeast1", List.of("a", "b", "c")),
            Map.entry("asia-southeast2", List.of("a", "b", "c")),
            Map.entry("australia-southeast1", List.of("a", "b", "c")),
            Map.entry("australia-southeast2", List.of("a", "b", "c")),
            Map.entry("me-central1", List.of("a", "b", "c")), Map.entry("me-central2", List.of("a", "b", "c")),
            Map.entry("me-west1", List.of("a", "b", "c")), Map.entry("africa-south1", List.of("a", "b", "c")));

    private GceRegions() { }

    static boolean exists(String region) {
        return ZONES.containsKey(region);
    }

    static List<String> names() {
        return ZONES.keySet().stream().sorted().toList();
    }

    /** The region resource; {@code quotas} lists the account's quotas, those of other scopes are left out. */
    static ObjectNode region(String project, String region, List<QuotaUsage> quotas) {
        if (!exists(region)) throw GceError.notFound("projects/" + project + "/regions/" + region);
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode r = f.objectNode().put("kind", "compute#region")
                .put("id", Long.toString(1000 + (region.hashCode() & 0xffff)))
                .put("creationTimestamp", "1969-12-31T16:00:00.000-08:00")
                .put("name", region).put("description", region).put("status", "UP")
                .put("selfLink", GceApi.BASE + "projects/" + project + "/regions/" + region)
                .put("supportsPzs", false);
        ArrayNode zones = r.putArray("zones");
        ZONES.get(region).forEach(z -> zones.add(GceApi.BASE + "projects/" + project + "/zones/" + region + "-" + z));
        ArrayNode q = r.putArray("quotas");
        for (QuotaUsage u : quotas) {
            if (u.scope().equals(region)) q.addObject().put("metric", u.metric()).put("limit", u.limit()).put("usage", u.usage());
        }
        return r;
    }

    /** networks.get of the project's {@code default} network: auto mode, a subnetwork in every region. */
    static ObjectNode defaultNetwork(String project) {
        String self = GceApi.BASE + "projects/" + project + "/global/networks/" + GceAccount.DEFAULT_NETWORK;
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("kind", "compute#network")
                .put("id", Long.toString(2000 + (project.hashCode() & 0xffff)))
                .put("creationTimestamp", "1969-12-31T16:00:00.000-08:00")
                .put("name", GceAccount.DEFAULT_NETWORK).put("description", "Default network for the project")
                .put("selfLink", self).put("autoCreateSubnetworks", true)
                .put("networkFirewallPolicyEnforcementOrder", "AFTER_CLASSIC_FIREWALL");
        n.putObject("routingConfig").put("routingMode", "REGIONAL");
        ArrayNode subnets = n.putArray("subnetworks");
        names().forEach(r -> subnets.add(GceApi.BASE + "projects/" + project + "/regions/" + r + "/subnetworks/"
                + GceAccount.DEFAULT_NETWORK));
        return n;
    }
}

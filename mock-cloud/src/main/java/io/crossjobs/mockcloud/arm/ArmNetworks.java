package io.crossjobs.mockcloud.arm;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The part of Microsoft.Network a VM needs: virtual networks with their subnets inline (PUT, GET, DELETE, list by
 * resource group, GET of one subnet), created asynchronously as Network's PUT is (201/200 {@code Updating} with
 * {@code Azure-AsyncOperation}, then {@code Succeeded}). A virtual network lives in one location; VMs look their
 * subnets up here. Networks are account infrastructure: {@code /mock/reset} keeps them.
 */
final class ArmNetworks {
    private static final Pattern SUBNET_ID = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/([^/]+)"
                    + "/subnets/([^/]+)/?", Pattern.CASE_INSENSITIVE);
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    /** One virtual network: the model as PUT and when its last PUT finishes. */
    private record Vnet(String id, String resourceGroup, String name, String location, ObjectNode model,
                        String resourceGuid, Instant readyAt) { }

    private record Operation(String id, Instant readyAt) { }

    private final Clock clock;
    private final ArmRules rules;
    private final Map<String, Vnet> vnets = new LinkedHashMap<>();        // lower-case ARM id → network
    private final Map<String, Operation> operations = new HashMap<>();

    ArmNetworks(Clock clock, ArmRules rules) {
        this.clock = clock;
        this.rules = rules;
    }

    synchronized ArmResponse put(String sub, String rg, String name, ObjectNode body, String baseUrl) {
        String location = body.path("location").asText("");
        if (location.isBlank()) {
            throw ArmRefusal.badRequest("LocationRequired", "The location property is required for this definition.");
        }
        String id = vnetId(sub, rg, name);
        Vnet existing = vnets.get(key(id));
        if (existing != null && !ArmVmChecks.sameLocation(existing.location(), location)) {
            throw ArmRefusal.badRequest("InvalidResourceLocation", "The resource '" + name + "' already exists in"
                    + " location '" + existing.location() + "' in resource group '" + rg + "'. A resource with the"
                    + " same name cannot be created in location '" + location + "'. Please select a new resource"
                    + " name.");
        }
        List<long[]> space = addressSpace(body);
        for (JsonNode subnet : body.path("properties").path("subnets")) checkSubnet(subnet, space, name);

        Instant now = clock.instant();
        Vnet vnet = new Vnet(id, rg, name, location, body.deepCopy(),
                existing == null ? UUID.randomUUID().toString() : existing.resourceGuid(),
                now.plus(rules.networkCreateDelay()));
        vnets.put(key(id), vnet);
        Operation op = newOperation(vnet.readyAt());
        String url = baseUrl + "subscriptions/" + sub + "/providers/Microsoft.Network/locations/"
                + location.replace(" ", "").toLowerCase(Locale.ROOT) + "/operations/" + op.id()
                + "?api-version=" + ArmApi.NETWORK_API_VERSION;
        return ArmResponse.json(existing == null ? 201 : 200, render(vnet))
                .header("Azure-AsyncOperation", url).header("Retry-After", "1");
    }

    synchronized ArmResponse get(String sub, String rg, String name) {
        Vnet vnet = vnets.get(key(vnetId(sub, rg, name)));
        return vnet == null ? notFound(rg, name) : ArmResponse.json(200, render(vnet));
    }

    /** Gone at once (200), or 204 when there was none; {@link ArmApi} first refuses one whose subnet is in use. */
    synchronized ArmResponse delete(String sub, String rg, String name) {
        return ArmResponse.empty(vnets.remove(key(vnetId(sub, rg, name))) == null ? 204 : 200);
    }

    synchronized ArmResponse list(String sub, String rg) {
        ObjectNode page = ArmResponse.JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        String prefix = key("/subscriptions/" + sub + "/resourceGroups/" + rg + "/");
        vnets.forEach((k, v) -> {
            if (k.startsWith(prefix)) value.add(render(v));
        });
        return ArmResponse.json(200, page);
    }

    synchronized ArmResponse getSubnet(String sub, String rg, String vnetName, String subnetName) {
        Vnet vnet = vnets.get(key(vnetId(sub, rg, vnetName)));
        if (vnet == null) return notFound(rg, vnetName);
        for (JsonNode subnet : render(vnet).path("properties").path("subnets")) {
            if (subnet.path("name").asText().equalsIgnoreCase(subnetName)) return ArmResponse.json(200, subnet);
        }
        return ArmResponse.error(404, "NotFound", "Resource " + vnet.id() + "/subnets/" + subnetName + " not found.");
    }

    synchronized ArmResponse operation(String id) {
        Operation op = operations.get(id);
        if (op == null) return ArmResponse.error(404, "NotFound", "Operation " + id + " not found.");
        boolean done = !clock.instant().isBefore(op.readyAt());
        return ArmResponse.json(200, ArmResponse.JSON.createObjectNode().put("status", done ? "Succeeded" : "InProgress"))
                .header("Retry-After", "1");
    }

    /** The location of the network holding this subnet; empty when there is no such subnet. */
    synchronized Optional<String> subnetLocation(String subnetId) {
        Matcher m = SUBNET_ID.matcher(subnetId);
        if (!m.matches()) return Optional.empty();
        Vnet vnet = vnets.get(key(vnetId(m.group(1), m.group(2), m.group(3))));
        if (vnet == null) return Optional.empty();
        for (JsonNode subnet : vnet.model().path("properties").path("subnets")) {
            if (subnet.path("name").asText().equalsIgnoreCase(m.group(4))) return Optional.of(vnet.location());
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- rendering

    private ObjectNode render(Vnet vnet) {
        String state = clock.instant().isBefore(vnet.readyAt()) ? "Updating" : "Succeeded";
        ObjectNode out = ArmResponse.JSON.createObjectNode();
        out.put("name", vnet.name()).put("id", vnet.id()).put("etag", "W/\"" + vnet.resourceGuid() + "\"")
                .put("type", "Microsoft.Network/virtualNetworks").put("location", vnet.location());
        out.set("tags", vnet.model().has("tags") ? vnet.model().get("tags") : ArmResponse.JSON.createObjectNode());
        ObjectNode props = vnet.model().path("properties").isObject()
                ? ((ObjectNode) vnet.model().get("properties")).deepCopy() : ArmResponse.JSON.createObjectNode();
        props.put("provisioningState", state).put("resourceGuid", vnet.resourceGuid());
        ArrayNode subnets = props.putArray("subnets");
        for (JsonNode given : vnet.model().path("properties").path("subnets")) {
            ObjectNode subnet = subnets.addObject();
            String name = given.path("name").asText();
            subnet.put("name", name).put("id", vnet.id() + "/subnets/" + name)
                    .put("etag", "W/\"" + vnet.resourceGuid() + "\"").put("type", "Microsoft.Network/virtualNetworks/subnets");
            ObjectNode subnetProps = given.path("properties").isObject()
                    ? ((ObjectNode) given.get("properties")).deepCopy() : subnet.objectNode();
            subnetProps.put("provisioningState", state);
            subnet.set("properties", subnetProps);
        }
        out.set("properties", props);
        return out;
    }

    // ---------------------------------------------------------------- checks

    /** The network's address prefixes as [first address, prefix length]. */
    private static List<long[]> addressSpace(JsonNode body) {
        List<long[]> space = new ArrayList<>();
        for (JsonNode prefix : body.path("properties").path("addressSpace").path("addressPrefixes")) {
            space.add(cidr(prefix.asText()));
        }
        if (space.isEmpty()) {
            throw ArmRefusal.badRequest("InvalidRequestContent", "The virtual network needs"
                    + " properties.addressSpace.addressPrefixes.");
        }
        return space;
    }

    private static void checkSubnet(JsonNode subnet, List<long[]> space, String vnetName) {
        String name = subnet.path("name").asText("");
        JsonNode props = subnet.path("properties");
        List<String> prefixes = new ArrayList<>();
        if (props.hasNonNull("addressPrefix")) prefixes.add(props.get("addressPrefix").asText());
        props.path("addressPrefixes").forEach(p -> prefixes.add(p.asText()));
        if (name.isBlank() || prefixes.isEmpty()) {
            throw ArmRefusal.badRequest("InvalidRequestContent", "Each subnet needs a name and"
                    + " properties.addressPrefix.");
        }
        for (String prefix : prefixes) {
            long[] range = cidr(prefix);
            boolean inside = space.stream().anyMatch(s -> range[1] >= s[1] && (range[0] >> (32 - s[1])) == (s[0] >> (32 - s[1])));
            if (!inside) {
                throw ArmRefusal.badRequest("NetcfgSubnetRangeOutsideVnet", "Subnet '" + name + "' is not valid"
                        + " because its IP address range is outside the IP address range of virtual network '"
                        + vnetName + "'.");
            }
        }
    }

    /** An IPv4 prefix {@code a.b.c.d/n} with no host bits set, as [first address, n]. */
    private static long[] cidr(String text) {
        Matcher m = CIDR.matcher(text.trim());
        if (m.matches()) {
            long address = 0;
            boolean octets = true;
            for (int i = 1; i <= 4; i++) {
                int octet = Integer.parseInt(m.group(i));
                octets &= octet <= 255;
                address = (address << 8) | octet;
            }
            int length = Integer.parseInt(m.group(5));
            long hostBits = length >= 32 ? 0 : (1L << (32 - length)) - 1;
            if (octets && length <= 32 && (address & hostBits) == 0) return new long[] {address, length};
        }
        throw ArmRefusal.badRequest("InvalidCIDRNotation", "The address prefix " + text + " has an invalid CIDR"
                + " notation.");
    }

    // ---------------------------------------------------------------- helpers

    private Operation newOperation(Instant readyAt) {
        Instant now = clock.instant();
        for (Iterator<Operation> it = operations.values().iterator(); it.hasNext(); ) {
            if (it.next().readyAt().isBefore(now.minusSeconds(3600))) it.remove();
        }
        Operation op = new Operation(UUID.randomUUID().toString(), readyAt);
        operations.put(op.id(), op);
        return op;
    }

    private static ArmResponse notFound(String rg, String name) {
        return ArmResponse.error(404, "ResourceNotFound", "The Resource 'Microsoft.Network/virtualNetworks/" + name
                + "' under resource group '" + rg + "' was not found.");
    }

    private static String vnetId(String sub, String rg, String name) {
        return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Network/virtualNetworks/" + name;
    }

    private static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }
}

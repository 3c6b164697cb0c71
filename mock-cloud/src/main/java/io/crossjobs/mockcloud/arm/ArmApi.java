package io.crossjobs.mockcloud.arm;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.account.Accounts;
import io.crossjobs.mockcloud.limits.ApiCall;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.FaultContext;
import io.crossjobs.mockcloud.sim.LaunchRequest;
import io.crossjobs.mockcloud.sim.SimulatedFault;
import io.crossjobs.mockcloud.sim.StateReason;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.VmState;
import io.crossjobs.mockcloud.sim.VmView;

/**
 * Azure Resource Manager's Microsoft.Compute/virtualMachines API (api-version 2025-04-01 shapes) over the VM
 * simulator: PUT (create, idempotent by name, checked as Compute checks it: {@link ArmVmChecks}), GET (+ instance
 * view), list by resource group and by subscription (nextLink paging), DELETE, async operations, boot diagnostics
 * with a serial-log blob; and the virtual networks the VMs' NICs go in ({@link ArmNetworks}).
 * Transport-free: {@link ArmServer} feeds it requests.
 */
public final class ArmApi {
    private static final Logger LOG = Logger.getLogger(ArmApi.class);
    static final String API_VERSION = "2025-04-01";
    static final String NETWORK_API_VERSION = "2024-05-01";
    static final String CREATE = "virtualMachines.createOrUpdate";
    static final String CREATE_IN_OPERATION = "virtualMachines.createOrUpdate.async";

    private static final Pattern VM = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/virtualMachines/([^/]+)"
                    + "(/instanceView|/retrieveBootDiagnosticsData)?/?", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST_RG = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/virtualMachines/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST_SUB = Pattern.compile(
            "/subscriptions/([^/]+)/providers/Microsoft\\.Compute/virtualMachines/?", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST_NIC = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/networkInterfaces/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern VNET = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/([^/]+)"
                    + "(?:/subnets/([^/]+))?/?", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST_VNET = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Network/virtualNetworks/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NETWORK_OPERATION = Pattern.compile(
            "/subscriptions/([^/]+)/providers/Microsoft\\.Network/locations/([^/]+)/operations/([^/]+)/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern OPERATION = Pattern.compile(
            "/subscriptions/([^/]+)/providers/Microsoft\\.Compute/locations/([^/]+)/operations/([^/]+)/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SUBSCRIPTION = Pattern.compile("/subscriptions/([^/]+)/?", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOCATIONS = Pattern.compile("/subscriptions/([^/]+)/locations/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern RESOURCE_GROUP = Pattern.compile("/subscriptions/([^/]+)/resourceGroups/([^/]+)/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PERMISSIONS = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Authorization/permissions/?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern USAGES = Pattern.compile(
            "/subscriptions/([^/]+)/providers/Microsoft\\.Compute/locations/([^/]+)/usages/?", Pattern.CASE_INSENSITIVE);
    /** The location every resource group reports: n/f for a mock group, the catalog's first Azure region. */
    static final String RESOURCE_GROUP_LOCATION = "eastus";
    private static final Pattern SERIAL_LOG = Pattern.compile("/bootdiagnostics/([^/]+)/serialconsole\\.log");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private enum OpKind { CREATE, DELETE }

    /** An async operation; its status is computed from the VM whenever it is polled. */
    private record Operation(String id, OpKind kind, String armKey, String simId, String failureCode,
                             String failureMessage, Instant startTime) { }

    private final VmSimulator simulator;
    private final ApiRateLimiter limits;
    private final Clock clock;
    private final int pageSize;
    private final ArmRules rules;
    private final ArmNetworks networks;
    private final ArmAccount account;
    private final ArmSubscription subscription;
    private final Object lock = new Object();
    private final Map<String, ArmVm> vms = new LinkedHashMap<>();       // lower-case ARM id → VM, PUT order
    private final Map<String, Operation> operations = new HashMap<>();

    public ArmApi(VmSimulator simulator, int pageSize, ArmRules rules) {
        this(simulator, pageSize, rules, ApiRateLimiter.countingOnly(simulator.clock()));
    }

    /** With Resource Manager's and Compute's request limits counted by {@code limits}. */
    public ArmApi(VmSimulator simulator, int pageSize, ArmRules rules, ApiRateLimiter limits) {
        this(simulator, pageSize, rules, limits, new Accounts(), QuotaGate.strict());
    }

    /**
     * @param accounts the mock account's state, enforced on every call ({@link ArmAccount})
     * @param quotas   the mock account's quotas, which Usage - List reports
     */
    public ArmApi(VmSimulator simulator, int pageSize, ArmRules rules, ApiRateLimiter limits, Accounts accounts,
                  QuotaGate quotas) {
        this.account = new ArmAccount(accounts);
        this.subscription = new ArmSubscription(location -> quotas.usage(Cloud.AZURE, location,
                simulator.list(v -> v.state().alive())), RESOURCE_GROUP_LOCATION);
        this.limits = limits;
        this.simulator = simulator;
        this.clock = simulator.clock();
        this.pageSize = Math.max(1, pageSize);
        this.rules = rules;
        this.networks = new ArmNetworks(clock, rules);
    }

    /**
     * @param baseUrl this server as the client reached it ({@code https://host:port/}), for absolute URLs
     */
    public ArmResponse handle(String method, String path, Map<String, String> query, String range, String body,
                              String baseUrl) {
        try {
            Matcher m;
            if ((m = SERIAL_LOG.matcher(path)).matches() && method.equals("GET")) {
                return serialLog(m.group(1), range);
            }
            account.admit(needs(method, path, body), path);
            if (!query.containsKey("api-version")) {
                return ArmResponse.error(400, "MissingApiVersionParameter",
                        "The api-version query parameter (?api-version=) is required for all requests.");
            }
            SimulatedFault throttled = limits.admit(limitedCall(method, path, body));
            if (throttled != null) return faultResponse(throttled, null, null);
            ArmResponse read = subscriptionRead(method, path, query.get("api-version"));
            if (read != null) return read;
            if ((m = OPERATION.matcher(path)).matches() && method.equals("GET")) return operation(m.group(3));
            if ((m = NETWORK_OPERATION.matcher(path)).matches() && method.equals("GET")) {
                return networks.operation(m.group(3));
            }
            if ((m = LIST_VNET.matcher(path)).matches() && method.equals("GET")) {
                faultFor("virtualNetworks.list", null);
                return networks.list(m.group(1), m.group(2));
            }
            if ((m = VNET.matcher(path)).matches()) return network(method, m, body, baseUrl);
            if ((m = VM.matcher(path)).matches()) {
                String sub = m.group(1), rg = m.group(2), name = m.group(3), sub2 = m.group(4);
                if (sub2 != null && sub2.equalsIgnoreCase("/retrieveBootDiagnosticsData") && method.equals("POST")) {
                    return bootDiagnostics(sub, rg, name, baseUrl);
                }
                if (sub2 != null && sub2.equalsIgnoreCase("/instanceView") && method.equals("GET")) {
                    return get(sub, rg, name, true, true);
                }
                if (sub2 == null) {
                    return switch (method) {
                        case "PUT" -> put(sub, rg, name, body, baseUrl);
                        case "GET" -> get(sub, rg, name, "instanceView".equals(query.get("$expand")), false);
                        case "DELETE" -> delete(sub, rg, name, baseUrl);
                        case "PATCH" -> patch(sub, rg, name, body);
                        default -> methodNotAllowed(method, path);
                    };
                }
                return methodNotAllowed(method, path);
            }
            if ((m = LIST_RG.matcher(path)).matches() && method.equals("GET")) {
                return list(m.group(1), m.group(2), query, baseUrl, path);
            }
            if ((m = LIST_NIC.matcher(path)).matches() && method.equals("GET")) {
                return listNics(m.group(1), m.group(2));
            }
            if ((m = LIST_SUB.matcher(path)).matches() && method.equals("GET")) {
                return list(m.group(1), null, query, baseUrl, path);
            }
            return ArmResponse.error(404, "InvalidResourceType", "No route for " + method + " " + path);
        } catch (SimulatedFault f) {
            return faultResponse(f, null, null);
        } catch (ArmRefusal e) {
            return e.response();
        }
    }

    private ArmResponse network(String method, Matcher m, String body, String baseUrl) {
        String sub = m.group(1), rg = m.group(2), vnet = m.group(3), subnet = m.group(4);
        if (subnet != null) {
            if (!method.equals("GET")) return methodNotAllowed(method, m.group());
            faultFor("subnets.get", null);
            return networks.getSubnet(sub, rg, vnet, subnet);
        }
        return switch (method) {
            case "PUT" -> {
                ObjectNode model = parse(body);
                faultFor("virtualNetworks.createOrUpdate", text(model, "location"));
                yield networks.put(sub, rg, vnet, model, baseUrl);
            }
            case "GET" -> {
                faultFor("virtualNetworks.get", null);
                yield networks.get(sub, rg, vnet);
            }
            case "DELETE" -> {
                faultFor("virtualNetworks.delete", null);
                refuseIfInUse(sub, rg, vnet);
                yield networks.delete(sub, rg, vnet);
            }
            default -> methodNotAllowed(method, m.group());
        };
    }

    /** Network will not delete a subnet that a NIC is still in: a VM that exists keeps its NIC. */
    private void refuseIfInUse(String sub, String rg, String vnet) {
        String prefix = ("/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Network/"
                + "virtualNetworks/" + vnet + "/subnets/").toLowerCase(Locale.ROOT);
        synchronized (lock) {
            for (ArmVm vm : vms.values()) {
                VmView view = vm.simId() == null ? null : simulator.get(vm.simId()).orElse(null);
                if (view == null || look(vm, view) == null) continue;
                for (JsonNode config : vm.model().at("/properties/networkProfile/networkInterfaceConfigurations")) {
                    String subnet = config.at("/properties/ipConfigurations/0/properties/subnet/id").asText("");
                    if (!subnet.toLowerCase(Locale.ROOT).startsWith(prefix)) continue;
                    String nic = "/subscriptions/" + vm.subscription() + "/resourceGroups/" + vm.resourceGroup()
                            + "/providers/Microsoft.Network/networkInterfaces/" + config.path("name").asText();
                    throw ArmRefusal.badRequest("InUseSubnetCannotBeDeleted", "Subnet "
                            + subnet.substring(prefix.length()) + " is in use by " + nic + "/ipConfigurations/"
                            + config.at("/properties/ipConfigurations/0/name").asText() + " and cannot be deleted."
                            + " In order to delete the subnet, delete all the resources within the subnet.");
                }
            }
        }
    }

    /** The subscription's own reads ({@link ArmSubscription}, and the principal's permissions); null: not one. */
    private ArmResponse subscriptionRead(String method, String path, String apiVersion) {
        Matcher m;
        if ((m = SUBSCRIPTION.matcher(path)).matches() && method.equals("GET")) {
            faultFor("subscriptions.get", null);
            return subscription.subscription(m.group(1));
        }
        if ((m = LOCATIONS.matcher(path)).matches() && method.equals("GET")) {
            faultFor("subscriptions.listLocations", null);
            return subscription.locations(m.group(1));
        }
        if ((m = RESOURCE_GROUP.matcher(path)).matches() && (method.equals("GET") || method.equals("HEAD"))) {
            faultFor("resourceGroups.get", null);
            return subscription.resourceGroup(method, m.group(1), m.group(2));
        }
        if ((m = PERMISSIONS.matcher(path)).matches() && method.equals("GET")) {
            faultFor("permissions.listForResourceGroup", null);
            return ArmResponse.json(200, account.permissions());
        }
        if ((m = USAGES.matcher(path)).matches() && method.equals("GET")) {
            faultFor("usage.list", m.group(2));
            return subscription.usages(m.group(2), apiVersion);
        }
        return null;
    }

    /**
     * The action a request needs over its scope, as Azure's resource provider operations name them
     * (learn.microsoft.com/azure/role-based-access-control/resource-provider-operations); a VM PUT also needs to
     * join each subnet its NICs name. Subscription, location, permission and operation reads need none here.
     */
    private static ArmAccount.Needs needs(String method, String path, String body) {
        Matcher m;
        String scope = path.replaceAll("/+$", "");
        if ((m = VM.matcher(path)).matches()) {
            String vmScope = scope.replaceAll("(?i)/(instanceView|retrieveBootDiagnosticsData)$", "");
            String sub2 = m.group(4);
            if (sub2 != null && sub2.equalsIgnoreCase("/retrieveBootDiagnosticsData")) {
                return new ArmAccount.Needs("Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action",
                        vmScope, List.of());
            }
            if (sub2 != null || method.equals("GET")) {
                return new ArmAccount.Needs("Microsoft.Compute/virtualMachines/read", vmScope, List.of());
            }
            if (method.equals("DELETE")) {
                return new ArmAccount.Needs("Microsoft.Compute/virtualMachines/delete", vmScope, List.of());
            }
            List<ArmAccount.Linked> linked = List.of();
            if (method.equals("PUT")) {
                try {
                    linked = ArmAccount.joinedSubnets(parse(body));
                } catch (ArmRefusal malformed) {
                    linked = List.of();    // the body is refused after authorization
                }
            }
            return new ArmAccount.Needs("Microsoft.Compute/virtualMachines/write", vmScope, linked);
        }
        if (LIST_RG.matcher(path).matches() || LIST_SUB.matcher(path).matches()) {
            return new ArmAccount.Needs("Microsoft.Compute/virtualMachines/read", scope, List.of());
        }
        if (LIST_NIC.matcher(path).matches()) {
            return new ArmAccount.Needs("Microsoft.Network/networkInterfaces/read", scope, List.of());
        }
        if (LIST_VNET.matcher(path).matches()) {
            return new ArmAccount.Needs("Microsoft.Network/virtualNetworks/read", scope, List.of());
        }
        if ((m = VNET.matcher(path)).matches()) {
            String action = m.group(4) != null ? "Microsoft.Network/virtualNetworks/subnets/read" : switch (method) {
                case "PUT" -> "Microsoft.Network/virtualNetworks/write";
                case "DELETE" -> "Microsoft.Network/virtualNetworks/delete";
                default -> "Microsoft.Network/virtualNetworks/read";
            };
            return new ArmAccount.Needs(action, scope, List.of());
        }
        if (RESOURCE_GROUP.matcher(path).matches()) {
            return new ArmAccount.Needs("Microsoft.Resources/subscriptions/resourceGroups/read", scope, List.of());
        }
        if (USAGES.matcher(path).matches()) {
            return new ArmAccount.Needs("Microsoft.Compute/locations/usages/read", scope, List.of());
        }
        return ArmAccount.Needs.none();
    }

    // ---------------------------------------------------------------- calls

    private ArmResponse put(String sub, String rg, String name, String body, String baseUrl) {
        ObjectNode model = parse(body);
        String location = text(model, "location");
        if (location == null) throw ArmRefusal.badRequest("LocationRequired", "The location property is required for this definition.");
        JsonNode props = model.path("properties");
        String vmSize = text(props.path("hardwareProfile"), "vmSize");
        if (vmSize == null) {
            throw ArmRefusal.badRequest("InvalidParameter", "Required parameter 'hardwareProfile.vmSize' is missing (null).");
        }
        String zone = model.path("zones").isArray() && model.path("zones").size() > 0
                ? model.path("zones").get(0).asText() : "";
        boolean spot = "Spot".equalsIgnoreCase(text(props, "priority"));
        String eviction = text(props, "evictionPolicy");
        if (eviction != null && !eviction.equalsIgnoreCase("Delete") && !eviction.equalsIgnoreCase("Deallocate")) {
            throw ArmRefusal.badRequest("InvalidParameter", "evictionPolicy must be Delete or Deallocate, not '" + eviction + "'.");
        }
        ArmVmChecks.check(model, new ArmVmChecks.Target(sub, rg, name, location), rules, networks::subnetLocation);
        // ARM checks a resource's tags on every write, the VM PUT as well as the PATCH
        Map<String, String> putTags = new LinkedHashMap<>();
        model.path("tags").fields().forEachRemaining(e -> putTags.put(e.getKey(), e.getValue().asText()));
        checkTags(putTags);
        byte[] userData = customData(props);
        String armId = "/subscriptions/" + sub + "/resourceGroups/" + rg
                + "/providers/Microsoft.Compute/virtualMachines/" + name;
        String key = armId.toLowerCase(Locale.ROOT);

        synchronized (lock) {
            ArmVm existing = vms.get(key);
            if (existing != null && !ArmVmChecks.sameLocation(existing.location(), location)) {
                throw ArmRefusal.badRequest("InvalidResourceLocation", "The resource '" + name + "' already exists"
                        + " in location '" + existing.location() + "' in resource group '" + rg + "'. A resource with"
                        + " the same name cannot be created in location '" + location + "'. Please select a new"
                        + " resource name.");
            }
            ArmResponse same = existingAnswer(key, name, baseUrl, sub);
            if (same != null) return same;
        }
        // faults outside the lock: an injected delay must slow this PUT only, not every ARM call
        SimulatedFault fault = simulator.fault(new FaultContext(Cloud.AZURE, location, zone, vmSize,
                CREATE_IN_OPERATION, false));
        if (fault == null) {
            fault = simulator.fault(new FaultContext(Cloud.AZURE, location, zone, vmSize, CREATE, true));
            if (fault != null && !ArmErrors.IN_OPERATION.contains(fault.errorCode())) {
                return faultResponse(fault, vmSize, location);
            }
        }
        synchronized (lock) {
            ArmResponse same = existingAnswer(key, name, baseUrl, sub);    // a PUT of the same name meanwhile
            if (same != null) return same;
            Instant now = clock.instant();
            ObjectNode stored = model.deepCopy();
            ((ObjectNode) stored.with("properties")).remove("instanceView");
            ArmVm vm;
            if (fault != null) {
                vm = new ArmVm(armId, sub, rg, name, location, stored, UUID.randomUUID().toString(), null, spot,
                        eviction, fault.errorCode(), ArmErrors.message(fault, vmSize, location), false, now);
                LOG.infof("azure PUT %s: accepted, allocation will fail with %s", name, fault.errorCode());
            } else {
                Map<String, String> tags = new LinkedHashMap<>();
                model.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
                LaunchRequest req = new LaunchRequest(Cloud.AZURE, location, zone, vmSize, image(props), tags, spot,
                        userData, 1, CREATE, List.of(name), null, null,
                        Map.of("armId", armId, "evictionPolicy", spot ? evictionOrDefault(eviction) : ""));
                String simId;
                try {
                    simId = simulator.launch(req, false).vms().get(0).id();      // faults were consulted above
                } catch (SimulatedFault quota) {
                    return faultResponse(quota, vmSize, location);     // a vCPU quota: refused on the PUT, as Azure does
                }
                vm = new ArmVm(armId, sub, rg, name, location, stored, simId, simId, spot,
                        spot ? evictionOrDefault(eviction) : null, null, null, false, now);
            }
            vms.remove(key);          // a replaced Failed resource keeps its place at the end, like a new one
            vms.put(key, vm);
            Operation op = newOperation(OpKind.CREATE, key, vm.simId(), vm.failureCode(), vm.failureMessage());
            ObjectNode answer = render(vm, vm.simId() == null ? null : simulator.get(vm.simId()).orElse(null), false);
            ((ObjectNode) answer.get("properties")).put("provisioningState", "Creating");
            return asyncHeaders(ArmResponse.json(201, answer), baseUrl, sub, location, op);
        }
    }

    private ArmResponse get(String sub, String rg, String name, boolean expand, boolean instanceViewOnly) {
        faultFor("virtualMachines.get", null);
        synchronized (lock) {
            ArmVm vm = vms.get(armKey(sub, rg, name));
            VmView view = vm == null || vm.simId() == null ? null : simulator.get(vm.simId()).orElse(null);
            if (vm == null || look(vm, view) == null) return notFound(rg, name);
            ObjectNode rendered = render(vm, view, expand || instanceViewOnly);
            return ArmResponse.json(200, instanceViewOnly ? rendered.path("properties").path("instanceView")
                    : rendered);
        }
    }

    /**
     * virtualMachines.update (PATCH): a {@code tags} object replaces the VM's tags whole, as ARM's PATCH does;
     * other properties of the body are not applied here. Finishes at once: 200 with the VM.
     */
    private ArmResponse patch(String sub, String rg, String name, String body) {
        ObjectNode update = parse(body);
        faultFor("virtualMachines.update", null);
        JsonNode tags = update.get("tags");
        if (tags != null && !tags.isObject() && !tags.isNull()) {
            throw ArmRefusal.badRequest("InvalidRequestContent", "The value of 'tags' must be an object.");
        }
        Map<String, String> newTags = new LinkedHashMap<>();
        if (tags != null && tags.isObject()) {
            tags.fields().forEachRemaining(e -> newTags.put(e.getKey(), e.getValue().asText()));
            checkTags(newTags);
        }
        synchronized (lock) {
            ArmVm vm = vms.get(armKey(sub, rg, name));
            VmView view = vm == null || vm.simId() == null ? null : simulator.get(vm.simId()).orElse(null);
            if (vm == null || look(vm, view) == null) return notFound(rg, name);
            if (tags != null) {
                ObjectNode stored = vm.model().putObject("tags");
                newTags.forEach(stored::put);
                if (vm.simId() != null) view = simulator.update(vm.simId(), old -> newTags, attrs -> attrs);
            }
            return ArmResponse.json(200, render(vm, view, false));
        }
    }

    /** Azure's tag limits: 50 per resource, names up to 512 characters without {@code <>%&\?/}, values up to 256. */
    private static void checkTags(Map<String, String> tags) {
        if (tags.size() > 50) throw ArmRefusal.badRequest("InvalidTagCount", "A resource can have at most 50 tags.");
        tags.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 512 || k.chars().anyMatch(c -> "<>%&\\?/".indexOf(c) >= 0)) {
                throw ArmRefusal.badRequest("InvalidTagNameCharacters", "The tag name '" + k + "' is not valid.");
            }
            if (v.length() > 256) {
                throw ArmRefusal.badRequest("InvalidTagValueLength", "The value of tag '" + k + "' exceeds 256 characters.");
            }
        });
    }

    private ArmResponse list(String sub, String rg, Map<String, String> query, String baseUrl, String path) {
        faultFor("virtualMachines.list", null);
        boolean expand = "instanceView".equals(query.get("$expand")) || "true".equals(query.get("statusOnly"));
        int start = 0;
        if (query.containsKey("$skiptoken")) {
            try {
                start = Integer.parseInt(query.get("$skiptoken"));
            } catch (NumberFormatException e) {
                throw ArmRefusal.badRequest("InvalidParameter", "Invalid $skiptoken '" + query.get("$skiptoken") + "'.");
            }
        }
        List<ObjectNode> all = new ArrayList<>();
        synchronized (lock) {
            for (ArmVm vm : vms.values()) {
                if (!vm.subscription().equalsIgnoreCase(sub)) continue;
                if (rg != null && !vm.resourceGroup().equalsIgnoreCase(rg)) continue;
                VmView view = vm.simId() == null ? null : simulator.get(vm.simId()).orElse(null);
                if (look(vm, view) == null) continue;
                all.add(render(vm, view, expand));
            }
        }
        ObjectNode page = ArmResponse.JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        int end = Math.min(all.size(), start + pageSize);
        for (int i = start; i < end; i++) value.add(all.get(i));
        if (end < all.size()) {
            StringBuilder next = new StringBuilder(baseUrl).append(path.substring(1)).append("?api-version=")
                    .append(query.get("api-version"));
            if (query.containsKey("$expand")) next.append("&$expand=").append(query.get("$expand"));
            if (query.containsKey("statusOnly")) next.append("&statusOnly=").append(query.get("statusOnly"));
            next.append("&$skiptoken=").append(end);
            page.put("nextLink", next.toString());
        }
        return ArmResponse.json(200, page);
    }

    /**
     * networkInterfaces.list of a resource group: the NIC each VM got from its inline network interface
     * configuration (named as configured), with the VM's private IP. One page.
     */
    private ArmResponse listNics(String sub, String rg) {
        faultFor("networkInterfaces.list", null);
        ObjectNode page = ArmResponse.JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        synchronized (lock) {
            for (ArmVm vm : vms.values()) {
                if (!vm.subscription().equalsIgnoreCase(sub) || !vm.resourceGroup().equalsIgnoreCase(rg)) continue;
                VmView view = vm.simId() == null ? null : simulator.get(vm.simId()).orElse(null);
                if (view == null || look(vm, view) == null) continue;
                JsonNode config = vm.model().at("/properties/networkProfile/networkInterfaceConfigurations/0");
                String nic = config.path("name").asText(vm.name() + "-nic");
                ObjectNode n = value.addObject();
                n.put("name", nic).put("id", "/subscriptions/" + vm.subscription() + "/resourceGroups/"
                        + vm.resourceGroup() + "/providers/Microsoft.Network/networkInterfaces/" + nic)
                        .put("location", vm.location()).put("type", "Microsoft.Network/networkInterfaces");
                ObjectNode props = n.putObject("properties");
                props.put("provisioningState", "Succeeded").put("primary", true);
                props.putObject("virtualMachine").put("id", vm.armId());
                ObjectNode ip = props.putArray("ipConfigurations").addObject().put("name", "ipconfig1")
                        .putObject("properties").put("privateIPAddress", view.privateIp())
                        .put("privateIPAllocationMethod", "Dynamic").put("primary", true);
                JsonNode subnet = config.at("/properties/ipConfigurations/0/properties/subnet/id");
                if (subnet.isTextual()) ip.putObject("subnet").put("id", subnet.asText());
            }
        }
        return ArmResponse.json(200, page);
    }

    private ArmResponse delete(String sub, String rg, String name, String baseUrl) {
        faultFor("virtualMachines.delete", null);
        String key = armKey(sub, rg, name);
        String simId;
        ArmVm vm;
        synchronized (lock) {
            vm = vms.get(key);
            VmView view = vm == null || vm.simId() == null ? null : simulator.get(vm.simId()).orElse(null);
            Look look = vm == null ? null : look(vm, view);
            if (look == null) {
                if (vm != null) vms.remove(key);
                return ArmResponse.empty(204);
            }
            if (vm.simId() == null || view == null || view.state() == VmState.TERMINATED
                    || view.state() == VmState.STOPPED) {
                // a Failed or deallocated resource has nothing left to shut down: gone at once
                vms.remove(key);
                return ArmResponse.empty(200);
            }
            vms.put(key, vm.deleting());
            simId = vm.simId();
        }
        if (simulator.get(simId).map(v -> v.state().alive()).orElse(false)) {
            simulator.terminate(List.of(simId), v -> true);
        }
        Operation op;
        synchronized (lock) {
            op = newOperation(OpKind.DELETE, key, simId, null, null);
        }
        LOG.infof("azure DELETE %s (%s)", name, simId);
        return asyncHeaders(ArmResponse.empty(202), baseUrl, sub, vm.location(), op);
    }

    private ArmResponse operation(String id) {
        Operation op;
        synchronized (lock) {
            op = operations.get(id);
        }
        if (op == null) return ArmResponse.error(404, "NotFound", "Operation " + id + " not found.");
        String status;
        VmView view = op.simId() == null ? null : simulator.get(op.simId()).orElse(null);
        if (op.failureCode() != null) {
            status = "Failed";
        } else if (op.kind() == OpKind.CREATE) {
            status = view != null && view.state() == VmState.PENDING ? "InProgress" : "Succeeded";
        } else {
            status = view != null && (view.state().alive() || view.state() == VmState.SHUTTING_DOWN)
                    ? "InProgress" : "Succeeded";
            if (status.equals("Succeeded")) {
                synchronized (lock) {
                    ArmVm vm = vms.get(op.armKey());
                    if (vm != null && vm.deleteRequested()) vms.remove(op.armKey());
                }
            }
        }
        ObjectNode body = ArmResponse.JSON.createObjectNode().put("name", op.id()).put("status", status)
                .put("startTime", op.startTime().toString());
        if (!status.equals("InProgress")) body.put("endTime", clock.instant().toString());
        if (op.failureCode() != null) {
            body.putObject("error").put("code", op.failureCode()).put("message", op.failureMessage());
        }
        return ArmResponse.json(200, body).header("Retry-After", "1");
    }

    private ArmResponse bootDiagnostics(String sub, String rg, String name, String baseUrl) {
        faultFor("virtualMachines.retrieveBootDiagnosticsData", null);
        ArmVm vm;
        synchronized (lock) {
            vm = vms.get(armKey(sub, rg, name));
        }
        VmView view = vm == null || vm.simId() == null ? null : simulator.get(vm.simId()).orElse(null);
        if (vm == null || look(vm, view) == null) return notFound(rg, name);
        if (vm.simId() == null) {
            return ArmResponse.error(409, "OperationNotAllowed", "Boot diagnostics are not available: the VM"
                    + " failed to provision.");
        }
        ObjectNode body = ArmResponse.JSON.createObjectNode()
                .put("consoleScreenshotBlobUri", baseUrl + "bootdiagnostics/" + vm.simId() + "/screenshot.bmp")
                .put("serialConsoleLogBlobUri", baseUrl + "bootdiagnostics/" + vm.simId()
                        + "/serialconsole.log?sv=mock&sig=mock");
        return ArmResponse.json(200, body);
    }

    /** The serial log blob; a {@code Range: bytes=N-[M]} header reads a part of it, like Azure Blob Storage. */
    private ArmResponse serialLog(String simId, String range) {
        byte[] whole = simulator.console(simId).map(c -> c.text().getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (whole == null) return ArmResponse.error(404, "BlobNotFound", "The specified blob does not exist.");
        if (range == null || range.isBlank()) {
            return ArmResponse.blob(200, whole).header("Content-Type", "text/plain; charset=utf-8")
                    .header("Accept-Ranges", "bytes");
        }
        Matcher m = RANGE.matcher(range.trim());
        if (!m.matches()) return ArmResponse.error(400, "InvalidHeaderValue", "Range '" + range + "' is not bytes=N-[M]");
        long from = Long.parseLong(m.group(1));
        if (from >= whole.length) {
            return ArmResponse.error(416, "InvalidRange", "The range specified is invalid for the current size of"
                    + " the resource.").header("Content-Range", "bytes */" + whole.length);
        }
        long to = m.group(2).isEmpty() ? whole.length - 1 : Math.min(whole.length - 1, Long.parseLong(m.group(2)));
        byte[] part = java.util.Arrays.copyOfRange(whole, (int) from, (int) to + 1);
        return ArmResponse.blob(206, part).header("Content-Type", "text/plain; charset=utf-8")
                .header("Content-Range", "bytes " + from + "-" + to + "/" + whole.length);
    }

    /** Forgets every VM and operation (with the simulator's reset). */
    public void reset() {
        synchronized (lock) {
            vms.clear();
            operations.clear();
        }
    }

    // ---------------------------------------------------------------- rendering

    /** Provisioning state and power state as ARM shows them; null: the resource does not exist (any more). */
    record Look(String provisioning, String power) { }

    static Look look(ArmVm vm, VmView v) {
        if (vm.failureCode() != null) return new Look("Failed", null);
        if (v == null) return null;
        boolean evicted = v.stateReason() != null && v.stateReason().kind() == StateReason.Kind.PREEMPTED;
        boolean deallocated = evicted && vm.deallocateOnEviction() && !vm.deleteRequested();
        return switch (v.state()) {
            case PENDING -> new Look("Creating", "PowerState/starting");
            case RUNNING -> new Look("Succeeded", "PowerState/running");
            case SHUTTING_DOWN, STOPPING -> deallocated ? new Look("Succeeded", "PowerState/deallocating")
                    : new Look("Deleting", "PowerState/stopping");
            case TERMINATED, STOPPED -> deallocated ? new Look("Succeeded", "PowerState/deallocated") : null;
        };
    }

    private ObjectNode render(ArmVm vm, VmView view, boolean withInstanceView) {
        ObjectNode out = ArmResponse.JSON.createObjectNode();
        out.put("id", vm.armId()).put("name", vm.name()).put("type", "Microsoft.Compute/virtualMachines")
                .put("location", vm.location());
        if (vm.model().has("zones")) out.set("zones", vm.model().get("zones"));
        out.set("tags", vm.model().has("tags") ? vm.model().get("tags") : ArmResponse.JSON.createObjectNode());
        ObjectNode props = vm.model().path("properties").isObject()
                ? ((ObjectNode) vm.model().get("properties")).deepCopy() : ArmResponse.JSON.createObjectNode();
        if (props.path("osProfile").isObject()) {
            ((ObjectNode) props.get("osProfile")).remove(List.of("customData", "adminPassword"));   // never returned
        }
        JsonNode osDisk = props.path("storageProfile").path("osDisk");
        if (osDisk.isObject() && !osDisk.hasNonNull("diskSizeGB") && rules.imageOsDiskGb() > 0) {
            ((ObjectNode) osDisk).put("diskSizeGB", rules.imageOsDiskGb());   // the image's size, as ARM shows it
        }
        if (vm.spot() && !props.has("evictionPolicy")) props.put("evictionPolicy", vm.evictionPolicy());
        Look look = look(vm, view);
        props.put("vmId", vm.vmId()).put("provisioningState", look == null ? "Deleting" : look.provisioning())
                .put("timeCreated", vm.timeCreated().toString());
        if (withInstanceView) {
            ObjectNode iv = props.putObject("instanceView");
            iv.put("computerName", vm.name());
            ArrayNode statuses = iv.putArray("statuses");
            if (look == null || look.provisioning().equals("Failed")) {
                statuses.addObject().put("code", "ProvisioningState/failed/" + vm.failureCode()).put("level", "Error")
                        .put("displayStatus", "Provisioning failed").put("message", vm.failureMessage());
            } else {
                statuses.addObject().put("code", "ProvisioningState/" + look.provisioning().toLowerCase(Locale.ROOT))
                        .put("level", "Info").put("displayStatus", "Provisioning " + look.provisioning().toLowerCase(Locale.ROOT))
                        .put("time", view.stateChangedAt().toString());
                statuses.addObject().put("code", look.power()).put("level", "Info")
                        .put("displayStatus", "VM " + look.power().substring("PowerState/".length()));
            }
        }
        out.set("properties", props);
        return out;
    }

    // ---------------------------------------------------------------- helpers

    private Operation newOperation(OpKind kind, String armKey, String simId, String failureCode, String failureMessage) {
        Instant now = clock.instant();
        // operations are looked at for seconds; an hour keeps every realistic poller happy
        for (Iterator<Operation> it = operations.values().iterator(); it.hasNext(); ) {
            if (it.next().startTime().isBefore(now.minusSeconds(3600))) it.remove();
        }
        Operation op = new Operation(UUID.randomUUID().toString(), kind, armKey, simId, failureCode, failureMessage, now);
        operations.put(op.id(), op);
        return op;
    }

    private static ArmResponse asyncHeaders(ArmResponse r, String baseUrl, String sub, String location, Operation op) {
        String url = baseUrl + "subscriptions/" + sub + "/providers/Microsoft.Compute/locations/" + location
                + "/operations/" + op.id() + "?api-version=" + API_VERSION;
        return r.header("Azure-AsyncOperation", url).header("Location", url + "&monitor=true")
                .header("Retry-After", "1");
    }

    /** ARM PUT is idempotent: the answer for a name that already has a live (not Failed) VM, else null. */
    private ArmResponse existingAnswer(String key, String name, String baseUrl, String sub) {
        ArmVm existing = vms.get(key);
        if (existing == null || existing.failureCode() != null) return null;
        Optional<VmView> view = simulator.get(existing.simId());
        Look look = look(existing, view.orElse(null));
        if (look == null) return null;
        if (look.provisioning().equals("Deleting")) {
            return ArmResponse.error(409, "Conflict", "The virtual machine '" + name
                    + "' is being deleted; it cannot be updated now.");
        }
        ArmResponse r = ArmResponse.json(200, render(existing, view.orElse(null), false));
        if (look.provisioning().equals("Creating")) {
            asyncHeaders(r, baseUrl, sub, existing.location(), newOperation(OpKind.CREATE, key,
                    existing.simId(), null, null));
        }
        return r;
    }

    /**
     * The request as the limits count it: Compute's policies per VM and per region, so a VM's call is counted in
     * the VM's location (a new VM's from its body); every other call is counted for the subscription.
     */
    private ApiCall limitedCall(String method, String path, String body) {
        Matcher m;
        if ((m = VM.matcher(path)).matches()) {
            String sub = m.group(1), rg = m.group(2), name = m.group(3), sub2 = m.group(4);
            String action = sub2 == null ? switch (method) {
                case "PUT" -> "virtualMachines.createOrUpdate";
                case "DELETE" -> "virtualMachines.delete";
                case "PATCH" -> "virtualMachines.update";
                default -> "virtualMachines.get";
            } : sub2.equalsIgnoreCase("/retrieveBootDiagnosticsData") ? "virtualMachines.retrieveBootDiagnosticsData"
                    : "virtualMachines.instanceView";
            String location;
            synchronized (lock) {
                ArmVm vm = vms.get(armKey(sub, rg, name));
                location = vm != null ? vm.location() : null;
            }
            if (location == null && method.equals("PUT")) location = text(parse(body), "location");
            return ApiCall.of(Cloud.AZURE, location, action).on(rg.toLowerCase(Locale.ROOT) + "/"
                    + name.toLowerCase(Locale.ROOT));
        }
        String action;
        if (LIST_RG.matcher(path).matches() || LIST_SUB.matcher(path).matches()) action = "virtualMachines.list";
        else if (LIST_NIC.matcher(path).matches()) action = "networkInterfaces.list";
        else if (LIST_VNET.matcher(path).matches()) action = "virtualNetworks.list";
        else if ((m = VNET.matcher(path)).matches()) {
            action = m.group(4) != null ? "subnets.get" : switch (method) {
                case "PUT" -> "virtualNetworks.createOrUpdate";
                case "DELETE" -> "virtualNetworks.delete";
                default -> "virtualNetworks.get";
            };
        } else if (SUBSCRIPTION.matcher(path).matches()) action = "subscriptions.get";
        else if (LOCATIONS.matcher(path).matches()) action = "subscriptions.listLocations";
        else if (RESOURCE_GROUP.matcher(path).matches()) action = "resourceGroups.get";
        else if (PERMISSIONS.matcher(path).matches()) action = "permissions.listForResourceGroup";
        else if (USAGES.matcher(path).matches()) action = "usage.list";
        else action = "operations.get";
        return ApiCall.of(Cloud.AZURE, null, action);
    }

    private void faultFor(String action, String location) {
        SimulatedFault f = simulator.fault(new FaultContext(Cloud.AZURE, location, null, null, action, false));
        if (f != null) throw f;
    }

    private static ArmResponse faultResponse(SimulatedFault f, String vmSize, String location) {
        int status = ArmErrors.status(f);
        ArmResponse r = ArmResponse.error(status, f.errorCode(), ArmErrors.message(f, vmSize, location));
        if (status == 429) r.header("Retry-After", String.valueOf(f.retryAfterSeconds() == null ? 1 : f.retryAfterSeconds()));
        return r;
    }

    private static ArmResponse notFound(String rg, String name) {
        return ArmResponse.error(404, "ResourceNotFound", "The Resource 'Microsoft.Compute/virtualMachines/" + name
                + "' under resource group '" + rg + "' was not found.");
    }

    private static ArmResponse methodNotAllowed(String method, String path) {
        return ArmResponse.error(405, "MethodNotAllowed", "The method " + method + " is not allowed on " + path);
    }

    private static String armKey(String sub, String rg, String name) {
        return ("/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/Microsoft.Compute/virtualMachines/"
                + name).toLowerCase(Locale.ROOT);
    }

    private static String evictionOrDefault(String eviction) {
        return eviction == null ? "Deallocate" : eviction.equalsIgnoreCase("Delete") ? "Delete" : "Deallocate";
    }

    private static ObjectNode parse(String body) {
        try {
            JsonNode node = body == null || body.isBlank() ? null : ArmResponse.JSON.readTree(body);
            if (node instanceof ObjectNode o) return o;
        } catch (java.io.IOException e) {
            throw ArmRefusal.badRequest("InvalidRequestContent", "The request content was invalid and could not be"
                    + " deserialized: " + e.getMessage());
        }
        throw ArmRefusal.badRequest("InvalidRequestContent", "The request content must be a JSON object.");
    }

    private static byte[] customData(JsonNode props) {
        String b64 = text(props.path("osProfile"), "customData");
        if (b64 == null) b64 = text(props, "userData");
        if (b64 == null) return new byte[0];
        try {
            return Base64.getMimeDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw ArmRefusal.badRequest("InvalidParameter", "osProfile.customData must be base64.");
        }
    }

    private static String image(JsonNode props) {
        JsonNode ref = props.path("storageProfile").path("imageReference");
        if (ref.has("id")) return ref.get("id").asText();
        if (!ref.has("publisher")) return "";
        return ref.path("publisher").asText() + ":" + ref.path("offer").asText() + ":" + ref.path("sku").asText()
                + ":" + ref.path("version").asText("latest");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}

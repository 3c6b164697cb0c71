package io.crossjobs.mockcloud.gce;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.limits.ApiCall;
import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.quotas.QuotaSubject;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.FaultContext;
import io.crossjobs.mockcloud.sim.LaunchRequest;
import io.crossjobs.mockcloud.sim.LaunchResult;
import io.crossjobs.mockcloud.sim.SimulatedFault;
import io.crossjobs.mockcloud.sim.StateReason;
import io.crossjobs.mockcloud.sim.VmSimulator;
import io.crossjobs.mockcloud.sim.VmState;
import io.crossjobs.mockcloud.sim.VmView;
import io.quarkus.runtime.Startup;

/**
 * Compute Engine v1 semantics on the VM simulator: instances by project, zone and name; zone operations;
 * serial port output by byte offset. Answers are Google's JSON; failures are {@link GceError}s.
 *
 * <p>An injected launch fault whose code is UPPER_SNAKE_CASE (ZONE_RESOURCE_POOL_EXHAUSTED, QUOTA_EXCEEDED, ...)
 * fails <em>inside</em> the insert operation, as GCE reports capacity and most quota errors; a lowerCamel code
 * (quotaExceeded, rateLimitExceeded, forbidden, ...) is a synchronous HTTP error, as GCE reports request
 * errors. Faults on the other calls are always synchronous.
 *
 * <p>instances.insert refuses what Compute Engine refuses (see {@link GceRules}): accelerators the zone does not
 * offer or the machine series cannot take, GPUs that would live-migrate, spot scheduling GCE does not allow, a
 * boot disk smaller than its image, oversized metadata. A preempted spot VM whose instanceTerminationAction is
 * DELETE is deleted by "GCE" itself; with STOP (the default) it stays TERMINATED with its disk.
 */
@Singleton
@Startup   // a malformed mock-cloud.gcp.* setting stops the start instead of failing the first call
public class GceApi {
    static final String BASE = "https://www.googleapis.com/compute/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern ZONE = Pattern.compile("[a-z]+-[a-z]+[0-9]+-[a-z]");
    private static final Pattern MACHINE_TYPE = Pattern.compile("(?:.*/)?zones/([^/]+)/machineTypes/([a-z0-9-]+)|([a-z][a-z0-9]*-[a-z0-9-]+)");
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");
    private static final int MAX_LABELS = 64;
    private static final Pattern IN_OPERATION_CODE = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Duration WAIT_AT_MOST = Duration.ofMinutes(2);   // GCE's own bound for operations.wait
    private static final int MAX_RESULTS = 500;
    private static final String PROJECT = "gce.project";
    /** The insert body with defaults settled (scheduling, disks, guestAccelerators): what instances.get echoes. */
    private static final String REQUEST = "gce.request";
    /** instanceTerminationAction of a spot VM (STOP or DELETE), empty for a standard VM. */
    private static final String ON_PREEMPTION = "gce.onPreemption";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final VmSimulator sim;
    private final ApiRateLimiter limits;
    private final Clock clock;
    private final GceRules rules;
    private final GceAcceleratorTypes acceleratorTypes;
    private final Map<String, GceOperation> operations = new ConcurrentHashMap<>();
    private final Map<String, String> operationByRequestId = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final Map<String, GceSerialPort> serialPorts = new ConcurrentHashMap<>();

    @Inject
    public GceApi(VmSimulator sim, GceConfig config, ApiRateLimiter limits) {
        this(sim, GceRules.of(config), limits);
    }

    /** As strict as Compute Engine. */
    public GceApi(VmSimulator sim) {
        this(sim, GceRules.strict());
    }

    public GceApi(VmSimulator sim, GceRules rules) {
        this(sim, rules, ApiRateLimiter.countingOnly(sim.clock()));
    }

    /** With Compute Engine's rate quotas counted by {@code limits}. */
    public GceApi(VmSimulator sim, GceRules rules, ApiRateLimiter limits) {
        this.limits = limits;
        this.sim = sim;
        this.clock = sim.clock();
        this.rules = rules;
        this.acceleratorTypes = new GceAcceleratorTypes(rules);
    }

    // ---------------------------------------------------------------- instances

    /** instances.insert: validates, creates one VM (or replays a known requestId) and returns the operation. */
    public ObjectNode insert(String project, String zone, String requestId, JsonNode body) {
        String region = regionOf(zone);
        admit(region, "instances.insert");
        LaunchRequest req;
        synchronized (this) {
            ObjectNode known = knownOperation(project, zone, requestId);
            if (known != null) return known;
            req = launchRequest(project, zone, region, body);
        }
        // faults outside the lock: an injected delay must slow this insert only, not every insert and delete
        SimulatedFault f = sim.fault(new FaultContext(Cloud.GCP, region, zone, req.instanceType(), req.action(), true));
        synchronized (this) {
            ObjectNode known = knownOperation(project, zone, requestId);     // the same requestId meanwhile
            if (known != null) return known;
            String name = req.names().get(0);
            nameIsFree(project, zone, name);
            GceOperation op;
            if (f == null) {
                try {
                    VmView vm = sim.launch(req, false).vms().get(0);      // faults were consulted above
                    op = newOperation(project, zone, "insert", name, vm.id(), vm.id(), null, null, 0);
                } catch (SimulatedFault quota) {
                    // an allocation quota: GCE accepts the insert and fails its operation (QUOTA_EXCEEDED, 403)
                    op = newOperation(project, zone, "insert", name, null, null, quota.errorCode(),
                            quota.getMessage(), quota.httpStatus());
                }
            } else if (!IN_OPERATION_CODE.matcher(f.errorCode()).matches()) {
                throw new GceError(GceError.statusFor(f.errorCode(), f.httpStatus()), f.errorCode(), f.getMessage());
            } else {
                op = newOperation(project, zone, "insert", name, null, null, f.errorCode(),
                        operationErrorMessage(f, zone), operationStatusFor(f));
            }
            if (requestId != null) operationByRequestId.put(key(project, zone, requestId), op.name());
            return operation(op);
        }
    }

    private ObjectNode knownOperation(String project, String zone, String requestId) {
        if (requestId == null) return null;
        GceOperation known = operations.get(operationByRequestId.getOrDefault(key(project, zone, requestId), ""));
        return known == null ? null : operation(known);
    }

    private void nameIsFree(String project, String zone, String name) {
        if (findByName(project, zone, name).isPresent()) {
            throw new GceError(409, "alreadyExists",
                    "The resource 'projects/" + project + "/zones/" + zone + "/instances/" + name + "' already exists");
        }
    }

    private LaunchRequest launchRequest(String project, String zone, String region, JsonNode body) {
        if (body == null || !body.isObject()) throw GceError.invalid("Required field 'resource' not specified");
        String name = text(body, "name");
        if (name == null) throw GceError.invalid("Invalid value for field 'resource.name': ''. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
        if (!NAME.matcher(name).matches()) {
            throw GceError.invalid("Invalid value for field 'resource.name': '" + name
                    + "'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
        }
        String machineType = machineType(zone, text(body, "machineType"));
        Map<String, String> labels = labels(body.get("labels"));
        nameIsFree(project, zone, name);
        GceScheduling scheduling = GceScheduling.of(body.path("scheduling"), rules);
        List<GceAcceleratorTypes.Attached> gpus = acceleratorTypes.attached(project, zone, machineType,
                body.get("guestAccelerators"));
        acceleratorTypes.noLiveMigration(gpus, machineType, scheduling);
        ObjectNode settled = body.deepCopy();
        settled.set("disks", GceDisks.settle(zone, name, body.get("disks"), rules));
        ArrayNode items = GceMetadata.items(body.path("metadata").get("items"), "resource.metadata", rules);
        ObjectNode metadata = settled.path("metadata").isObject() ? (ObjectNode) settled.get("metadata")
                : settled.putObject("metadata");
        metadata.set("items", items);
        scheduling.render(settled.putObject("scheduling"));
        settled.remove("guestAccelerators");
        if (!gpus.isEmpty()) settled.set("guestAccelerators", GceAcceleratorTypes.render(project, zone, gpus));
        byte[] script = startupScript(items);
        String fingerprint = body.toString();
        return new LaunchRequest(Cloud.GCP, region, zone, machineType, sourceImage(body), labels, scheduling.spot(),
                script, 1, "instances.insert", List.of(name), null, fingerprint,
                Map.of(PROJECT, project, REQUEST, settled.toString(),
                        ON_PREEMPTION, scheduling.terminationAction() == null ? "" : scheduling.terminationAction(),
                        QuotaSubject.ACCELERATORS, quotaAccelerators(gpus)));
    }

    /** The attached GPUs as the quotas count them ({@code type:count}); GCE attaches one type per instance. */
    private static String quotaAccelerators(List<GceAcceleratorTypes.Attached> gpus) {
        if (gpus.isEmpty()) return "";
        int count = gpus.stream().mapToInt(GceAcceleratorTypes.Attached::count).sum();
        return gpus.get(0).type() + ":" + count;
    }

    public ObjectNode get(String project, String zone, String name) {
        regionOf(zone);
        syncFault(project, zone, "instances.get");
        return instance(findByName(project, zone, name).orElseThrow(() -> notFoundInstance(project, zone, name)));
    }

    /** instances.delete: the VM stops, then vanishes from every listing (GCE deletes, it does not keep it). */
    public ObjectNode delete(String project, String zone, String name, String requestId) {
        regionOf(zone);
        synchronized (this) {
            ObjectNode known = knownOperation(project, zone, requestId);
            if (known != null) return known;
        }
        syncFault(project, zone, "instances.delete");     // outside the lock: a delay slows this call only
        synchronized (this) {
            ObjectNode known = knownOperation(project, zone, requestId);
            if (known != null) return known;
            VmView vm = findByName(project, zone, name).orElseThrow(() -> notFoundInstance(project, zone, name));
            if (vm.state().alive()) sim.terminate(List.of(vm.id()), v -> true);
            deleted.add(vm.id());
            GceOperation op = newOperation(project, zone, "delete", name, vm.id(), vm.id(), null, null, 0);
            if (requestId != null) operationByRequestId.put(key(project, zone, requestId), op.name());
            return operation(op);
        }
    }

    /**
     * instances.setMetadata: replaces the instance's metadata items when {@code fingerprint} is the current one
     * (412 conditionNotMet otherwise, as GCE guards concurrent writers); returns a DONE operation.
     */
    public ObjectNode setMetadata(String project, String zone, String name, String requestId, JsonNode body) {
        regionOf(zone);
        synchronized (this) {
            ObjectNode known = knownOperation(project, zone, requestId);
            if (known != null) return known;
        }
        syncFault(project, zone, "instances.setMetadata");
        synchronized (this) {
            ObjectNode known = knownOperation(project, zone, requestId);
            if (known != null) return known;
            if (body == null || !body.isObject()) throw GceError.invalid("Required field 'resource' not specified");
            VmView vm = findByName(project, zone, name).orElseThrow(() -> notFoundInstance(project, zone, name));
            ArrayNode items = GceMetadata.items(body.get("items"), "metadata", rules);
            String current = metadataFingerprint(readRequest(vm).path("metadata"));
            if (!current.equals(text(body, "fingerprint"))) {
                throw new GceError(412, "conditionNotMet",
                        "Supplied fingerprint does not match current metadata fingerprint.");
            }
            sim.update(vm.id(), tags -> tags, attrs -> {
                ObjectNode request = readRequest(vm);
                request.putObject("metadata").set("items", items);
                Map<String, String> next = new LinkedHashMap<>(attrs);
                next.put(REQUEST, request.toString());
                return next;
            });
            GceOperation op = newOperation(project, zone, "setMetadata", name, vm.id(), vm.id(), null, null, 0);
            if (requestId != null) operationByRequestId.put(key(project, zone, requestId), op.name());
            return operation(op);
        }
    }

    /** The value of one metadata item of a GCE instance, as its metadata server shows it. */
    public Optional<String> metadataItem(VmView vm, String key) {
        for (JsonNode item : readRequest(vm).path("metadata").path("items")) {
            if (key.equals(item.path("key").asText())) return Optional.of(item.path("value").asText(""));
        }
        return Optional.empty();
    }

    private static String metadataFingerprint(JsonNode metadata) {
        return fingerprint(metadata.path("items").toString());
    }

    public ObjectNode list(String project, String zone, String filter, Integer maxResults, String pageToken) {
        regionOf(zone);
        GceFilter f = GceFilter.parse(filter);
        syncFault(project, zone, "instances.list");
        List<ObjectNode> all = visible(project, v -> v.zone().equals(zone)).stream().map(this::instance)
                .filter(f::matches).toList();
        Page page = Page.of(all, maxResults, pageToken);
        ObjectNode out = JSON.createObjectNode().put("kind", "compute#instanceList")
                .put("id", "projects/" + project + "/zones/" + zone + "/instances")
                .put("selfLink", BASE + "projects/" + project + "/zones/" + zone + "/instances");
        out.putArray("items").addAll(page.items());
        if (page.next() != null) out.put("nextPageToken", page.next());
        return out;
    }

    /** instances.aggregatedList: every zone's instances, keyed {@code zones/<zone>}. */
    public ObjectNode aggregatedList(String project, String filter, Integer maxResults, String pageToken) {
        GceFilter f = GceFilter.parse(filter);
        syncFault(project, null, "instances.aggregatedList");
        List<ObjectNode> all = visible(project, v -> true).stream().map(this::instance).filter(f::matches).toList();
        Page page = Page.of(all, maxResults, pageToken);
        ObjectNode items = JSON.createObjectNode();
        for (ObjectNode i : page.items()) {
            String scope = "zones/" + lastSegment(i.get("zone").asText());
            ObjectNode scoped = items.has(scope) ? (ObjectNode) items.get(scope) : items.putObject(scope);
            (scoped.has("instances") ? (ArrayNode) scoped.get("instances") : scoped.putArray("instances")).add(i);
        }
        ObjectNode out = JSON.createObjectNode().put("kind", "compute#instanceAggregatedList")
                .put("id", "projects/" + project + "/aggregated/instances")
                .put("selfLink", BASE + "projects/" + project + "/aggregated/instances");
        out.set("items", items);
        if (page.next() != null) out.put("nextPageToken", page.next());
        return out;
    }

    /**
     * instances.getSerialPortOutput: the port's bytes from {@code start} ({@link GceSerialPort}: the guest agent's
     * lines, the last 1 MB); {@code start} as answered (moved forward past dropped output), {@code next} where to
     * ask next time.
     */
    public ObjectNode serialPort(String project, String zone, String name, Integer port, Long start) {
        regionOf(zone);
        if (port != null && (port < 1 || port > 4)) throw GceError.invalid("Invalid value for field 'port': '" + port + "'. Must be between 1 and 4.");
        syncFault(project, zone, "instances.getSerialPortOutput");
        VmView vm = findByName(project, zone, name).orElseThrow(() -> notFoundInstance(project, zone, name));
        String console = sim.console(vm.id()).map(c -> c.text()).orElse("");
        GceSerialPort serial = serialPorts.computeIfAbsent(vm.id(), id -> new GceSerialPort(name,
                vm.workloadPid() != null ? vm.workloadPid() : 900 + Math.floorMod(id.hashCode(), 900),
                new GceSerialPort.Options(rules.applies(GceRules.Check.SERIAL_PORT_GUEST_AGENT),
                        rules.applies(GceRules.Check.SERIAL_PORT_BUFFER) ? GceSerialPort.BUFFER_BYTES : Integer.MAX_VALUE)));
        boolean started = vm.state() != VmState.PENDING || vm.workloadPid() != null;
        GceSerialPort.Window w = port != null && port != 1
                ? new GceSerialPort.Window(0, 0, "")
                : serial.read(new GceSerialPort.Source(console, started, vm.workloadExitCode(), clock.instant()), start);
        return JSON.createObjectNode().put("kind", "compute#serialPortOutput").put("contents", w.contents())
                .put("start", Long.toString(w.start())).put("next", Long.toString(w.next()))
                .put("selfLink", selfLink(project, zone, name) + "/serialPort");
    }

    // ---------------------------------------------------------------- zone operations

    public ObjectNode getOperation(String project, String zone, String name) {
        regionOf(zone);
        syncFault(project, zone, "zoneOperations.get");
        return operation(findOperation(project, zone, name));
    }

    /** zoneOperations.wait: returns when the operation is DONE, or after two minutes with its current state. */
    public ObjectNode waitOperation(String project, String zone, String name) {
        regionOf(zone);
        syncFault(project, zone, "zoneOperations.wait");
        GceOperation op = findOperation(project, zone, name);
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        ObjectNode now = operation(op);
        while (!"DONE".equals(now.get("status").asText()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = operation(op);
        }
        return now;
    }

    /** zoneOperations.list, including the {@code compute.instances.preempted} system events of reclaimed VMs. */
    public ObjectNode listOperations(String project, String zone, String filter, Integer maxResults, String pageToken) {
        regionOf(zone);
        GceFilter f = GceFilter.parse(filter);
        syncFault(project, zone, "zoneOperations.list");
        List<ObjectNode> all = new ArrayList<>();
        operations.values().stream().filter(o -> o.project().equals(project) && o.zone().equals(zone))
                .sorted((a, b) -> a.insertTime().compareTo(b.insertTime())).map(this::operation).forEach(all::add);
        // the system event outlives an instance GCE deleted after preempting it
        sim.list(v -> v.cloud() == Cloud.GCP && project.equals(v.attributes().get(PROJECT)) && v.zone().equals(zone)
                && preempted(v)).stream().map(this::preemption).map(this::operation).forEach(all::add);
        Page page = Page.of(all.stream().filter(f::matches).toList(), maxResults, pageToken);
        ObjectNode out = JSON.createObjectNode().put("kind", "compute#operationList")
                .put("id", "projects/" + project + "/zones/" + zone + "/operations")
                .put("selfLink", BASE + "projects/" + project + "/zones/" + zone + "/operations");
        out.putArray("items").addAll(page.items());
        if (page.next() != null) out.put("nextPageToken", page.next());
        return out;
    }

    // ---------------------------------------------------------------- accelerator types, disks

    /** acceleratorTypes.list: the GPUs the zone offers (built-in table plus mock-cloud.gcp.extra-accelerator-types). */
    public ObjectNode acceleratorTypes(String project, String zone) {
        regionOf(zone);
        syncFault(project, zone, "acceleratorTypes.list");
        return acceleratorTypes.list(project, zone);
    }

    public ObjectNode acceleratorType(String project, String zone, String name) {
        regionOf(zone);
        syncFault(project, zone, "acceleratorTypes.get");
        return acceleratorTypes.get(project, zone, name);
    }

    /** disks.get: an instance's disk while the instance exists (a stopped instance keeps it, a deleted one not). */
    public ObjectNode disk(String project, String zone, String name) {
        regionOf(zone);
        syncFault(project, zone, "disks.get");
        for (VmView vm : visible(project, v -> v.zone().equals(zone))) {
            ObjectNode request = readRequest(vm);
            Optional<ObjectNode> disk = GceDisks.find(project, zone, name, request.path("disks"),
                    selfLink(project, zone, vm.name()), vm.imageId());
            if (disk.isPresent()) return disk.get();
        }
        throw GceError.notFound("projects/" + project + "/zones/" + zone + "/disks/" + name);
    }

    // ---------------------------------------------------------------- rendering

    ObjectNode instance(VmView vm) {
        ObjectNode i = readRequest(vm);
        String project = vm.attributes().get(PROJECT);
        i.put("kind", "compute#instance").put("id", vm.id())
                .put("creationTimestamp", TIME.format(vm.launchTime())).put("name", vm.name())
                .put("machineType", BASE + "projects/" + project + "/zones/" + vm.zone() + "/machineTypes/"
                        + vm.instanceType())
                .put("status", status(vm)).put("zone", BASE + "projects/" + project + "/zones/" + vm.zone())
                .put("selfLink", selfLink(project, vm.zone(), vm.name()))
                .put("cpuPlatform", "Intel Broadwell").put("labelFingerprint", fingerprint(vm.tags().toString()));
        if (vm.state() == VmState.RUNNING) i.put("lastStartTimestamp", TIME.format(vm.stateChangedAt()));
        if (!vm.state().alive()) i.put("lastStopTimestamp", TIME.format(vm.stateChangedAt()));
        ObjectNode labels = i.putObject("labels");
        vm.tags().forEach(labels::put);
        if (i.path("disks").isArray()) i.set("disks", GceDisks.render(project, vm.zone(), i.get("disks")));
        ArrayNode nics = i.has("networkInterfaces") && i.get("networkInterfaces").isArray()
                ? (ArrayNode) i.get("networkInterfaces") : i.putArray("networkInterfaces");
        if (nics.isEmpty()) nics.addObject();
        for (int n = 0; n < nics.size(); n++) {
            ObjectNode nic = (ObjectNode) nics.get(n);
            nic.put("kind", "compute#networkInterface").put("name", "nic" + n);
            if (!nic.has("network")) nic.put("network", BASE + "projects/" + project + "/global/networks/default");
            if (n == 0) nic.put("networkIP", vm.privateIp());
        }
        ObjectNode metadata = i.has("metadata") && i.get("metadata").isObject()
                ? (ObjectNode) i.get("metadata") : i.putObject("metadata");
        metadata.remove(List.of("kind", "fingerprint"));
        String metadataFingerprint = metadataFingerprint(metadata);
        metadata.put("kind", "compute#metadata").put("fingerprint", metadataFingerprint);
        return i;
    }

    /** PROVISIONING for the first half of the boot delay, STAGING for the rest, as GCE shows a boot. */
    String status(VmView vm) {
        return switch (vm.state()) {
            case PENDING -> clock.instant().isBefore(vm.launchTime().plus(sim.settings().bootDelay().dividedBy(2)))
                    ? "PROVISIONING" : "STAGING";
            case RUNNING -> "RUNNING";
            case SHUTTING_DOWN, STOPPING -> "STOPPING";
            case TERMINATED, STOPPED -> "TERMINATED";
        };
    }

    ObjectNode operation(GceOperation op) {
        String status = operationStatus(op);
        ObjectNode o = JSON.createObjectNode().put("kind", "compute#operation").put("id", op.id())
                .put("name", op.name()).put("zone", BASE + "projects/" + op.project() + "/zones/" + op.zone())
                .put("operationType", op.type()).put("targetLink", selfLink(op.project(), op.zone(), op.targetName()))
                .put("status", status).put("user", "crossjobs@mock-cloud.local")
                .put("progress", "DONE".equals(status) ? 100 : 0).put("insertTime", TIME.format(op.insertTime()))
                .put("startTime", TIME.format(op.insertTime()))
                .put("selfLink", BASE + "projects/" + op.project() + "/zones/" + op.zone() + "/operations/" + op.name());
        if (op.targetId() != null) o.put("targetId", op.targetId());
        if ("DONE".equals(status)) o.put("endTime", TIME.format(clock.instant()));
        if (op.type().equals("compute.instances.preempted")) o.put("statusMessage", "Instance was preempted.");
        if (op.failed()) {
            o.putObject("error").putArray("errors").addObject().put("code", op.errorCode())
                    .put("message", op.errorMessage());
            o.put("httpErrorStatusCode", op.httpErrorStatus()).put("httpErrorMessage", httpReason(op.httpErrorStatus()));
        }
        return o;
    }

    private String operationStatus(GceOperation op) {
        if (op.failed() || op.vmId() == null) return "DONE";
        Optional<VmView> vm = sim.get(op.vmId());
        return switch (op.type()) {
            case "insert" -> vm.isPresent() && vm.get().state() == VmState.PENDING ? "RUNNING" : "DONE";
            case "delete" -> vm.isEmpty() || vm.get().state() == VmState.TERMINATED ? "DONE" : "RUNNING";
            default -> "DONE";
        };
    }

    // ---------------------------------------------------------------- internals

    /** Instances that exist: not deleted (by a client, or by GCE after a preemption), or still stopping. */
    private List<VmView> visible(String project, java.util.function.Predicate<VmView> and) {
        return sim.list(v -> v.cloud() == Cloud.GCP && project.equals(v.attributes().get(PROJECT))
                && !(v.state() == VmState.TERMINATED && (deleted.contains(v.id()) || deletedByGce(v))) && and.test(v));
    }

    /** A spot VM whose termination action is DELETE goes away once GCE has stopped it after preempting it. */
    private boolean deletedByGce(VmView v) {
        return preempted(v) && GceScheduling.DELETE.equals(v.attributes().get(ON_PREEMPTION))
                && rules.applies(GceRules.Check.DELETE_ON_PREEMPTION);
    }

    private Optional<VmView> findByName(String project, String zone, String name) {
        return visible(project, v -> v.zone().equals(zone) && v.name().equals(name)).stream().findFirst();
    }

    private GceOperation findOperation(String project, String zone, String name) {
        GceOperation op = operations.get(name);
        if (op != null && op.project().equals(project) && op.zone().equals(zone)) return op;
        if (name.startsWith("systemevent-")) {
            Optional<VmView> vm = sim.get(name.substring("systemevent-".length()))
                    .filter(v -> v.cloud() == Cloud.GCP && project.equals(v.attributes().get(PROJECT))
                            && v.zone().equals(zone) && preempted(v));
            if (vm.isPresent()) return preemption(vm.get());
        }
        throw GceError.notFound("projects/" + project + "/zones/" + zone + "/operations/" + name);
    }

    private static boolean preempted(VmView v) {
        return v.stateReason() != null && v.stateReason().kind() == StateReason.Kind.PREEMPTED;
    }

    /** The system event GCE logs when it reclaims a spot VM; gcloud and SkyPilot look for it. */
    private GceOperation preemption(VmView vm) {
        return new GceOperation("systemevent-" + vm.id(), vm.id(), vm.attributes().get(PROJECT), vm.zone(),
                "compute.instances.preempted", vm.name(), vm.id(), vm.id(), vm.stateChangedAt(), null, null, 0);
    }

    private GceOperation newOperation(String project, String zone, String type, String target, String targetId,
                                      String vmId, String errorCode, String errorMessage, int httpStatus) {
        Instant now = clock.instant();
        forgetOldOperations(now);
        String name = "operation-" + now.toEpochMilli() + "-" + hex(13) + "-" + hex(8) + "-" + hex(8);
        GceOperation op = new GceOperation(name, Long.toUnsignedString(RANDOM.nextLong() >>> 1), project, zone,
                type, target, targetId, vmId, now, errorCode, errorMessage, httpStatus);
        operations.put(name, op);
        return op;
    }

    private void forgetOldOperations(Instant now) {
        Instant cutoff = now.minus(sim.settings().terminatedRetention());
        operations.values().removeIf(o -> o.insertTime().isBefore(cutoff));
        operationByRequestId.values().removeIf(name -> !operations.containsKey(name));
        deleted.removeIf(id -> sim.get(id).isEmpty());
        serialPorts.keySet().removeIf(id -> sim.get(id).isEmpty());
    }

    private void syncFault(String project, String zone, String action) {
        admit(zone == null ? null : regionOf(zone), action);
        SimulatedFault f = sim.fault(new FaultContext(Cloud.GCP, zone == null ? null : regionOf(zone), zone, null,
                action, false));
        if (f != null) throw new GceError(GceError.statusFor(f.errorCode(), f.httpStatus()), f.errorCode(), f.getMessage());
    }

    /** Compute Engine's rate quota for the call, counted before anything else is looked at. */
    private void admit(String region, String action) {
        SimulatedFault throttled = limits.admit(ApiCall.of(Cloud.GCP, region, action));
        if (throttled != null) {
            throw new GceError(throttled.httpStatus(), throttled.errorCode(), throttled.getMessage());
        }
    }

    private static int operationStatusFor(SimulatedFault f) {
        if (f.errorCode().startsWith("QUOTA_EXCEEDED") && (f.httpStatus() == 400 || f.httpStatus() == 500)) return 403;
        if (f.errorCode().startsWith("ZONE_RESOURCE_POOL_EXHAUSTED") && f.httpStatus() == 500) return 503;
        return f.httpStatus();
    }

    private static String operationErrorMessage(SimulatedFault f, String zone) {
        if (f.getMessage() != null && !f.getMessage().startsWith("Injected fault")) return f.getMessage();
        if (f.errorCode().startsWith("ZONE_RESOURCE_POOL_EXHAUSTED")) {
            return "The zone 'projects/mock/zones/" + zone + "' does not have enough resources available to fulfill"
                    + " the request.  Try a different zone, or try again later.";
        }
        return f.getMessage();
    }

    private static String httpReason(int status) {
        return switch (status) {
            case 400 -> "BAD REQUEST";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT FOUND";
            case 409 -> "CONFLICT";
            case 429 -> "TOO MANY REQUESTS";
            case 503 -> "SERVICE UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL SERVER ERROR" : "ERROR";
        };
    }

    static String regionOf(String zone) {
        if (zone == null || !ZONE.matcher(zone).matches()) {
            throw GceError.invalid("Invalid value for field 'zone': '" + zone + "'. Unknown zone.");
        }
        return zone.substring(0, zone.lastIndexOf('-'));
    }

    private static String machineType(String zone, String url) {
        if (url == null) throw GceError.invalid("Invalid value for field 'resource.machineType': ''. Machine type must be specified.");
        var m = MACHINE_TYPE.matcher(url);
        if (!m.matches() || (m.group(1) != null && !m.group(1).equals(zone))) {
            throw GceError.invalid("Invalid value for field 'resource.machineType': '" + url
                    + "'. Machine type with name '" + lastSegment(url) + "' does not exist in zone '" + zone + "'.");
        }
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (node == null || node.isNull()) return labels;
        if (!node.isObject()) throw GceError.invalid("Invalid value for field 'resource.labels'");
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String value = e.getValue().asText();
            if (!LABEL_KEY.matcher(e.getKey()).matches() || !LABEL_VALUE.matcher(value).matches()) {
                throw GceError.invalid("Invalid value for field 'resource.labels': '" + e.getKey() + "=" + value
                        + "'. Label keys and values may contain only lowercase letters, digits, '_' and '-', at most"
                        + " 63 characters, and keys must start with a letter.");
            }
            labels.put(e.getKey(), value);
        }
        // "No more than 64 labels can be associated with a given resource" (GCE's label requirements)
        if (labels.size() > MAX_LABELS) {
            throw GceError.invalid("Invalid value for field 'resource.labels': " + labels.size() + " labels. A resource"
                    + " may have at most " + MAX_LABELS + " labels.");
        }
        return labels;
    }

    private static byte[] startupScript(JsonNode items) {
        if (items == null || !items.isArray()) return new byte[0];
        for (JsonNode item : items) {
            if ("startup-script".equals(item.path("key").asText())) {
                return item.path("value").asText("").getBytes(StandardCharsets.UTF_8);
            }
        }
        return new byte[0];
    }

    private static String sourceImage(JsonNode body) {
        for (JsonNode disk : body.path("disks")) {
            String image = disk.path("initializeParams").path("sourceImage").asText(null);
            if (image != null) return image;
        }
        return "projects/debian-cloud/global/images/family/debian-12";
    }

    private static ObjectNode readRequest(VmView vm) {
        try {
            JsonNode n = JSON.readTree(vm.attributes().getOrDefault(REQUEST, "{}"));
            return n.isObject() ? (ObjectNode) n : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static GceError notFoundInstance(String project, String zone, String name) {
        return GceError.notFound("projects/" + project + "/zones/" + zone + "/instances/" + name);
    }

    private static String selfLink(String project, String zone, String name) {
        return BASE + "projects/" + project + "/zones/" + zone + "/instances/" + name;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String key(String project, String zone, String requestId) {
        return project + "|" + zone + "|" + requestId;
    }

    private static String fingerprint(String s) {
        return Base64.getEncoder().encodeToString(Integer.toHexString(s.hashCode()).getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(int digits) {
        byte[] b = new byte[(digits + 1) / 2];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b).substring(0, digits);
    }

    /** One page of a listing; the token is the offset of the next page (opaque to clients). */
    record Page(List<ObjectNode> items, String next) {
        static Page of(List<ObjectNode> all, Integer maxResults, String pageToken) {
            int size = maxResults == null ? MAX_RESULTS : maxResults;
            if (size < 0 || size > MAX_RESULTS) {
                throw GceError.invalid("Invalid value for field 'maxResults': '" + size + "'. Must be between 0 and 500.");
            }
            if (size == 0) size = MAX_RESULTS;
            int from;
            try {
                from = pageToken == null || pageToken.isBlank() ? 0
                        : Integer.parseInt(new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw GceError.invalid("Invalid value for field 'pageToken': '" + pageToken + "'.");
            }
            if (from < 0 || from > all.size()) throw GceError.invalid("Invalid value for field 'pageToken': '" + pageToken + "'.");
            int to = Math.min(all.size(), from + size);
            String next = to < all.size() ? Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(to).getBytes(StandardCharsets.UTF_8)) : null;
            return new Page(all.subList(from, to), next);
        }
    }
}

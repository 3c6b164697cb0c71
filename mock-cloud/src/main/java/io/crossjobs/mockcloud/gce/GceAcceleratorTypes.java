package io.crossjobs.mockcloud.gce;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.gce.GceRules.Check;

/**
 * GPUs on Compute Engine: which accelerator types each zone offers, which machine series take them, and the
 * insert refusals that follow (an unknown type in the zone, GPUs on a series that takes none, GPUs that would have
 * to live-migrate). The built-in table is crossjobs' GCP catalog (SkyPilot's catalog snapshot, itself read from
 * GCE's acceleratorTypes.list): every zone the catalog places a GPU in offers that GPU, and nothing else is
 * offered unless {@code mock-cloud.gcp.extra-accelerator-types} adds it.
 *
 * <p>GPU quotas (0 in a new project unless raised) are not modelled here; they belong with the CPU quotas.
 */
final class GceAcceleratorTypes {
    private static final String T4 = "nvidia-tesla-t4";
    private static final String V100 = "nvidia-tesla-v100";
    private static final String A100 = "nvidia-tesla-a100";
    private static final String L4 = "nvidia-l4";

    /** Descriptions as {@code gcloud compute accelerator-types list} shows them. */
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            T4, "NVIDIA Tesla T4", V100, "NVIDIA Tesla V100", A100, "NVIDIA Tesla A100", L4, "NVIDIA L4",
            "nvidia-tesla-p100", "NVIDIA Tesla P100", "nvidia-tesla-p4", "NVIDIA Tesla P4",
            "nvidia-tesla-k80", "NVIDIA Tesla K80", "nvidia-a100-80gb", "NVIDIA A100 80GB");

    private static final Map<String, Set<String>> BUILT_IN = Map.ofEntries(
            Map.entry("us-central1-a", Set.of(T4, V100, A100, L4)),
            Map.entry("us-central1-b", Set.of(T4, V100, A100, L4)),
            Map.entry("us-central1-c", Set.of(T4, V100, A100, L4)),
            Map.entry("us-east1-b", Set.of(A100, L4)),
            Map.entry("us-east1-c", Set.of(T4, V100, L4)),
            Map.entry("us-east1-d", Set.of(T4, L4)),
            Map.entry("us-west1-a", Set.of(T4, V100, L4)),
            Map.entry("us-west1-b", Set.of(T4, V100, A100, L4)),
            Map.entry("us-west1-c", Set.of(L4)),
            Map.entry("europe-west4-a", Set.of(T4, V100, A100, L4)),
            Map.entry("europe-west4-b", Set.of(T4, V100, A100, L4)),
            Map.entry("europe-west4-c", Set.of(T4, V100, L4)),
            Map.entry("asia-east1-a", Set.of(T4, L4)),
            Map.entry("asia-east1-b", Set.of(L4)),
            Map.entry("asia-east1-c", Set.of(T4, V100, L4)));

    /** Accelerator-optimized series: their machine types come with their GPUs (A2 A100, G2 L4, A3 H100/H200, A4 B200, A4X GB200). */
    private static final Pattern CARRIES_GPUS = Pattern.compile("(a2|a3|a4|a4x|g2)-.*");
    /** N1 predefined and custom types (a bare custom type is N1); the shared-core f1-micro and g1-small are not N1. */
    private static final Pattern TAKES_GPUS = Pattern.compile("n1-.*|custom-.*");
    private static final Pattern TYPE_URL = Pattern.compile(
            "(?:https://www\\.googleapis\\.com/compute/v1/)?(?:projects/([^/]+)/)?zones/([^/]+)/acceleratorTypes/([^/]+)|([a-z0-9-]+)");
    private static final Pattern EXTRA = Pattern.compile("([a-z]+-[a-z]+[0-9]+-[a-z])/([a-z0-9-]+)");
    private static final String LIVE_MIGRATION = "Instances with guest accelerators do not support live migration.";

    /** One guestAccelerators entry as the instance shows it. */
    record Attached(String type, int count) { }

    private final Map<String, Set<String>> offered = new TreeMap<>();
    private final GceRules rules;

    GceAcceleratorTypes(GceRules rules) {
        this.rules = rules;
        BUILT_IN.forEach((zone, types) -> offered.put(zone, new TreeSet<>(types)));
        for (String extra : rules.extraAcceleratorTypes()) {
            Matcher m = EXTRA.matcher(extra.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("mock-cloud.gcp.extra-accelerator-types: '" + extra
                        + "' is not <zone>/<accelerator type>, e.g. us-central1-f/nvidia-tesla-t4");
            }
            offered.computeIfAbsent(m.group(1), z -> new TreeSet<>()).add(m.group(2));
        }
    }

    static boolean carriesGpus(String machineType) {
        return CARRIES_GPUS.matcher(machineType).matches();
    }

    /**
     * The request's guestAccelerators, checked as GCE checks them; empty when there are none. Refuses an entry
     * without a type or with a count below 1, a type the zone does not offer, and any GPU on a machine series
     * other than N1.
     */
    List<Attached> attached(String project, String zone, String machineType, JsonNode guestAccelerators) {
        List<Attached> out = new ArrayList<>();
        if (guestAccelerators == null || guestAccelerators.isNull()) return out;
        if (!guestAccelerators.isArray()) {
            throw GceError.invalid("Invalid value for field 'resource.guestAccelerators': must be a list");
        }
        for (int i = 0; i < guestAccelerators.size(); i++) {
            JsonNode entry = guestAccelerators.get(i);
            String field = "resource.guestAccelerators[" + i + "]";
            String url = entry.path("acceleratorType").asText("");
            Matcher m = TYPE_URL.matcher(url);
            if (url.isBlank() || !m.matches()) {
                throw GceError.invalid("Invalid value for field '" + field + ".acceleratorType': '" + url + "'.");
            }
            int count = entry.path("acceleratorCount").asInt(0);
            if (count < 1) {
                throw GceError.invalid("Invalid value for field '" + field + ".acceleratorCount': '" + count
                        + "'. Must be greater than or equal to 1.");
            }
            String type = m.group(3) != null ? m.group(3) : m.group(4);
            String inZone = m.group(2) != null ? m.group(2) : zone;
            if (!inZone.equals(zone) || rules.applies(Check.ACCELERATOR_TYPES_BY_ZONE) && !offeredIn(zone).contains(type)) {
                throw new GceError(400, "badRequest", "The resource 'projects/" + project + "/zones/" + inZone
                        + "/acceleratorTypes/" + type + "' was not found");
            }
            if (rules.applies(Check.GPU_MACHINE_SERIES) && !TAKES_GPUS.matcher(machineType).matches()) {
                throw new GceError(400, "badRequest", "[" + machineType + ", " + type
                        + "] features are not compatible for creating instance.");
            }
            out.add(new Attached(type, count));
        }
        return out;
    }

    /** GPUs cannot follow their VM to another host: their VM must terminate on host maintenance. */
    void noLiveMigration(List<Attached> attached, String machineType, GceScheduling scheduling) {
        boolean gpus = !attached.isEmpty() || carriesGpus(machineType);
        if (gpus && rules.applies(Check.GPU_HOST_MAINTENANCE) && scheduling.migratesOnHostMaintenance()) {
            throw new GceError(400, "badRequest", LIVE_MIGRATION);
        }
    }

    Set<String> offeredIn(String zone) {
        return offered.getOrDefault(zone, Set.of());
    }

    /** guestAccelerators of an instance, with full acceleratorType URLs. */
    static ArrayNode render(String project, String zone, List<Attached> attached) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Attached a : attached) {
            out.addObject().put("acceleratorType", url(project, zone, a.type())).put("acceleratorCount", a.count());
        }
        return out;
    }

    /** acceleratorTypes.list of one zone (one page: a zone offers a handful). */
    ObjectNode list(String project, String zone) {
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("kind", "compute#acceleratorTypeList")
                .put("id", "projects/" + project + "/zones/" + zone + "/acceleratorTypes")
                .put("selfLink", GceApi.BASE + "projects/" + project + "/zones/" + zone + "/acceleratorTypes");
        ArrayNode items = out.putArray("items");
        for (String type : offeredIn(zone)) items.add(type(project, zone, type));
        return out;
    }

    /** acceleratorTypes.get, or 404 for a type the zone does not offer. */
    ObjectNode get(String project, String zone, String type) {
        if (!offeredIn(zone).contains(type)) {
            throw GceError.notFound("projects/" + project + "/zones/" + zone + "/acceleratorTypes/" + type);
        }
        return type(project, zone, type);
    }

    private static ObjectNode type(String project, String zone, String type) {
        return JsonNodeFactory.instance.objectNode().put("kind", "compute#acceleratorType")
                .put("id", Long.toUnsignedString(Integer.toUnsignedLong(type.hashCode()) + 10_000L))
                .put("name", type).put("description", DESCRIPTIONS.getOrDefault(type, type))
                .put("zone", GceApi.BASE + "projects/" + project + "/zones/" + zone)
                .put("selfLink", url(project, zone, type));
    }

    private static String url(String project, String zone, String type) {
        return GceApi.BASE + "projects/" + project + "/zones/" + zone + "/acceleratorTypes/" + type;
    }
}

package io.crossjobs.mockcloud.gce;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.gce.GceRules.Check;

/**
 * An instance's disks, as far as a client can see them: each disk made from {@code initializeParams} gets its size
 * (the image's size when none is asked for; never smaller than the image), its type and a name, shows up in the
 * instance's {@code disks[]} as an attached disk and can be read with disks.get while its instance exists. A disk
 * lives exactly as long as its instance (auto-delete; a disk kept after its instance is not modelled).
 */
final class GceDisks {
    /**
     * Size of the public Linux images crossjobs boots (debian-cloud, ubuntu-os-cloud). GCE documents no figure;
     * its refusal names it: "Requested disk size cannot be smaller than the image size (10 GB)". Other images are
     * taken to be as large (n/f).
     */
    static final long IMAGE_SIZE_GB = 10;
    /** GCE's diskType when initializeParams names none (AttachedDiskInitializeParams.diskType). */
    private static final String DEFAULT_TYPE = "pd-standard";
    private static final Pattern DISK_TYPE = Pattern.compile(
            "(?:https://www\\.googleapis\\.com/compute/v1/)?(?:projects/[^/]+/)?zones/([^/]+)/diskTypes/([a-z0-9-]+)|([a-z0-9-]+)");
    private static final String INIT = "initializeParams";

    private GceDisks() { }

    /**
     * The request's {@code disks} with every new disk's size, type and name settled (kept under initializeParams,
     * which only this front end reads back); refuses a size that does not parse or is smaller than the image.
     */
    static ArrayNode settle(String zone, String instanceName, JsonNode disks, GceRules rules) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (disks == null || disks.isNull()) return out;
        if (!disks.isArray()) throw GceError.invalid("Invalid value for field 'resource.disks': must be a list");
        for (int i = 0; i < disks.size(); i++) {
            ObjectNode disk = disks.get(i).isObject() ? ((ObjectNode) disks.get(i)).deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            out.add(disk);
            if (!disk.path(INIT).isObject()) continue;
            ObjectNode init = (ObjectNode) disk.get(INIT);
            String field = "resource.disks[" + i + "].initializeParams";
            long asked = sizeGb(init.get("diskSizeGb"), field);
            long size = asked == 0 ? IMAGE_SIZE_GB : asked;     // none asked for: the image's size
            if (size < IMAGE_SIZE_GB && rules.applies(Check.DISK_AT_LEAST_IMAGE_SIZE)) {
                throw GceError.invalid("Invalid value for field '" + field + ".diskSizeGb': '" + size
                        + "'. Requested disk size cannot be smaller than the image size (" + IMAGE_SIZE_GB + " GB)");
            }
            init.put("diskSizeGb", Long.toString(size));
            init.put("diskType", diskType(zone, init.path("diskType").asText(""), field));
            if (!init.hasNonNull("diskName")) {
                init.put("diskName", disk.path("boot").asBoolean(i == 0) ? instanceName : instanceName + "-" + i);
            }
        }
        return out;
    }

    /** The disks as instances.get shows them: attached disks pointing at their disk resources. */
    static ArrayNode render(String project, String zone, JsonNode settled) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < settled.size(); i++) {
            JsonNode disk = settled.get(i);
            ObjectNode shown = disk.deepCopy();
            shown.remove(INIT);
            shown.put("kind", "compute#attachedDisk").put("index", i)
                    .put("type", disk.path("type").asText("PERSISTENT")).put("mode", disk.path("mode").asText("READ_WRITE"))
                    .put("boot", disk.path("boot").asBoolean(i == 0))
                    .put("autoDelete", disk.path("autoDelete").asBoolean(false))
                    .put("deviceName", disk.path("deviceName").asText("persistent-disk-" + i))
                    .put("interface", disk.path("interface").asText("SCSI"));
            JsonNode init = disk.path(INIT);
            if (init.isObject()) {
                shown.put("source", diskUrl(project, zone, init.path("diskName").asText()))
                        .put("diskSizeGb", init.path("diskSizeGb").asText());
            }
            out.add(shown);
        }
        return out;
    }

    /** disks.get of the disk named {@code name} among an instance's settled disks. */
    static Optional<ObjectNode> find(String project, String zone, String name, JsonNode settled, String instanceLink,
                                     String sourceImage) {
        for (JsonNode disk : settled) {
            JsonNode init = disk.path(INIT);
            if (!init.isObject() || !name.equals(init.path("diskName").asText())) continue;
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("kind", "compute#disk").put("name", name)
                    .put("id", Long.toUnsignedString(Integer.toUnsignedLong((zone + "/" + name).hashCode()) + 20_000L))
                    .put("zone", GceApi.BASE + "projects/" + project + "/zones/" + zone)
                    .put("sizeGb", init.path("diskSizeGb").asText())
                    .put("type", GceApi.BASE + "projects/" + project + "/zones/" + zone + "/diskTypes/"
                            + init.path("diskType").asText())
                    .put("status", "READY").put("selfLink", diskUrl(project, zone, name));
            String image = init.path("sourceImage").asText(disk.path("boot").asBoolean(false) ? sourceImage : "");
            if (!image.isBlank()) out.put("sourceImage", image);
            out.putArray("users").add(instanceLink);
            return Optional.of(out);
        }
        return Optional.empty();
    }

    private static long sizeGb(JsonNode node, String field) {
        if (node == null || node.isNull() || node.asText().isBlank()) return 0;
        try {
            long size = Long.parseLong(node.asText().strip());
            if (size < 1) throw new NumberFormatException();
            return size;
        } catch (NumberFormatException e) {
            throw GceError.invalid("Invalid value for field '" + field + ".diskSizeGb': '" + node.asText() + "'.");
        }
    }

    private static String diskType(String zone, String url, String field) {
        if (url.isBlank()) return DEFAULT_TYPE;
        Matcher m = DISK_TYPE.matcher(url);
        if (!m.matches() || m.group(1) != null && !m.group(1).equals(zone)) {
            throw GceError.invalid("Invalid value for field '" + field + ".diskType': '" + url + "'.");
        }
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    private static String diskUrl(String project, String zone, String name) {
        return GceApi.BASE + "projects/" + project + "/zones/" + zone + "/disks/" + name;
    }
}

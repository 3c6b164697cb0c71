package io.crossjobs.mockcloud.gce;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.crossjobs.mockcloud.gce.GceRules.Check;

/**
 * Metadata items as GCE takes them, on instances.insert and instances.setMetadata alike: keys
 * {@code [a-zA-Z0-9-_]{1,128}} without duplicates, each value at most 256 KB, all keys and values at most 512 KB
 * (cloud.google.com/compute/docs/metadata/setting-custom-metadata, "Limitations"). Sizes are counted in UTF-8
 * bytes, which for a non-ASCII value is stricter than GCE's "character(s)".
 */
final class GceMetadata {
    static final int MAX_VALUE_BYTES = 256 * 1024;
    static final int MAX_TOTAL_BYTES = 512 * 1024;
    private static final Pattern KEY = Pattern.compile("[a-zA-Z0-9_-]{1,128}");

    private GceMetadata() { }

    /**
     * The items, checked. {@code field} is the path of the metadata object in the request ({@code resource.metadata}
     * for insert, {@code metadata} for setMetadata), so errors name the field as GCE does.
     */
    static ArrayNode items(JsonNode items, String field, GceRules rules) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        if (items == null || items.isNull()) return out;
        if (!items.isArray()) throw GceError.invalid("Invalid value for field '" + field + ".items': must be a list");
        Set<String> keys = new HashSet<>();
        long total = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String key = item.path("key").asText("");
            if (!KEY.matcher(key).matches()) {
                throw GceError.invalid("Invalid value for field '" + field + ".items[" + i + "].key': '" + key
                        + "'. Must be a match of regex '[a-zA-Z0-9-_]{1,128}'");
            }
            if (!keys.add(key)) throw GceError.invalid("Duplicate metadata key '" + key + "'");
            String value = item.path("value").asText("");
            int size = value.getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_VALUE_BYTES && rules.applies(Check.METADATA_SIZE_LIMITS)) {
                throw tooLarge(field + ".items[" + i + "].value", MAX_VALUE_BYTES, size);
            }
            total += key.getBytes(StandardCharsets.UTF_8).length + size;
            out.addObject().put("key", key).put("value", value);
        }
        if (total > MAX_TOTAL_BYTES && rules.applies(Check.METADATA_SIZE_LIMITS)) {
            throw tooLarge(field, MAX_TOTAL_BYTES, total);
        }
        return out;
    }

    /**
     * GCE's refusal of an oversized field: 413 {@code fieldSizeTooLarge}, worded as the troubleshooting guide quotes
     * it for a metadata value ("Value for field 'metadata.items[X].value' is too large: maximum size 262144
     * character(s); actual size N."). For the 512 KB total no message is documented: the same form is used.
     */
    private static GceError tooLarge(String field, long max, long actual) {
        return new GceError(413, "fieldSizeTooLarge", "Value for field '" + field + "' is too large: maximum size "
                + max + " character(s); actual size " + actual + ".");
    }
}

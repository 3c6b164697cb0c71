package io.crossjobs.mockcloud.admin;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.crossjobs.mockcloud.sim.FaultSpec;

/** Reads a faults file: a JSON array of the same fault specs that {@code POST /mock/faults} takes. */
public final class FaultsFile {
    // strict on purpose: a misspelt field in a file nobody watches would silently widen a fault's match
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private FaultsFile() {
    }

    /**
     * @param source names the file in error messages
     * @throws IllegalArgumentException naming the source and, for a bad entry, its index (from 0)
     */
    public static List<FaultSpec> parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(source + ": expected a JSON array of faults");
        }
        List<FaultSpec> specs = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode entry = root.get(i);
            if (!entry.isObject()) throw badEntry(source, i, entry, "not a JSON object");
            try {
                specs.add(JSON.treeToValue(entry, FaultSpec.class));
            } catch (JsonProcessingException e) {
                throw badEntry(source, i, entry, e.getOriginalMessage());
            }
        }
        return specs;
    }

    static IllegalArgumentException badEntry(String source, int index, JsonNode entry, String why) {
        return new IllegalArgumentException(source + ": fault [" + index + "] " + entry + ": " + why);
    }
}

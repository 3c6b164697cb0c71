package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the three spellings of {@link AcceleratorsRequest}, as SkyPilot's {@code get_resources_schema} takes them: a
 * string, a map of names to a count or null (a YAML set {@code {A100:8, V100:8}} is such a map), or a list of strings. A bad entry goes through
 * {@link DeserializationContext#handleWeirdStringValue}, so that it is reported with its position and the
 * rest of the task is still checked.
 */
public class AcceleratorsDeserializer extends StdDeserializer<AcceleratorsRequest> {
    private static final String MESSAGE = "must be NAME or NAME:COUNT, e.g. \"A100:8\"";
    private static final String LIST_ENTRY_MESSAGE = "must be a string NAME or NAME:COUNT, as SkyPilot's list of "
            + "accelerators holds strings only: write \"- A100:8\" (no space after ':'), or a map {A100: 8, V100: 8}";

    public AcceleratorsDeserializer() {
        super(AcceleratorsRequest.class);
    }

    @Override
    public AcceleratorsRequest deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        List<String> names = new ArrayList<>();
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.START_OBJECT) {
                    // SkyPilot's list holds strings only (get_resources_schema: items of type string);
                    // "- A100: 1" in YAML is such a map, where "- A100:1" was meant
                    p.skipChildren();
                    ctxt.handleWeirdStringValue(String.class, "{...}", LIST_ENTRY_MESSAGE);
                    continue;
                }
                add(names, scalar(p, ctxt), p, ctxt);
            }
            return new AcceleratorsRequest(names, true);
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.FIELD_NAME) {
            if (token == JsonToken.START_OBJECT) p.nextToken();
            for (; p.currentToken() == JsonToken.FIELD_NAME; p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                // {A100:8} in YAML is a key "A100:8" without value; {A100: 8} is name -> count
                String count = p.currentToken() == JsonToken.VALUE_NULL ? null : scalar(p, ctxt);
                add(names, count == null ? name : name + ":" + count, p, ctxt);
            }
            return new AcceleratorsRequest(names, false);
        }
        add(names, scalar(p, ctxt), p, ctxt);
        return new AcceleratorsRequest(names, false);
    }

    private static String scalar(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken().isScalarValue() && p.currentToken() != JsonToken.VALUE_NULL) return p.getText();
        p.skipChildren();
        ctxt.handleWeirdStringValue(String.class, String.valueOf(p.currentToken()), MESSAGE);
        return null;
    }

    private static void add(List<String> names, String value, JsonParser p, DeserializationContext ctxt)
            throws IOException {
        if (value == null) return;
        if (value.matches(AcceleratorsRequest.PATTERN)) names.add(value);
        else ctxt.handleWeirdStringValue(String.class, value, MESSAGE);
    }
}

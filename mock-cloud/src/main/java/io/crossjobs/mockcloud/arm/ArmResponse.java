package io.crossjobs.mockcloud.arm;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One ARM answer: status, headers and a JSON body, or raw bytes (a blob), or nothing. */
public record ArmResponse(int status, Map<String, String> headers, JsonNode json, byte[] bytes) {
    static final ObjectMapper JSON = new ObjectMapper();

    static ArmResponse json(int status, JsonNode body) {
        return new ArmResponse(status, new LinkedHashMap<>(), body, null);
    }

    static ArmResponse empty(int status) {
        return new ArmResponse(status, new LinkedHashMap<>(), null, null);
    }

    static ArmResponse blob(int status, byte[] bytes) {
        return new ArmResponse(status, new LinkedHashMap<>(), null, bytes);
    }

    /** ARM's error envelope: {@code {"error":{"code":..,"message":..}}}. */
    static ArmResponse error(int status, String code, String message) {
        return error(status, code, null, message);
    }

    /** The envelope with the property the error is about ({@code "target"}), as Compute names it; null: none. */
    static ArmResponse error(int status, String code, String target, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", code).put("message", message);
        if (target != null) error.put("target", target);
        return json(status, body);
    }

    ArmResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}

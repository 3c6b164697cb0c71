package io.crossjobs.mockcloud.gcs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON API refusal in Google's error shape, {@code {"error":{"code","message","errors":[{"domain","reason",
 * "message"}]}}} (cloud.google.com/storage/docs/json_api/v1/status-codes).
 */
final class GcsJsonError extends RuntimeException {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final String reason;

    GcsJsonError(int status, String reason, String message) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    static GcsJsonError notFound(String message) {
        return new GcsJsonError(404, "notFound", message);
    }

    static GcsJsonError invalid(String message) {
        return new GcsJsonError(400, "invalid", message);
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    String toJson() {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode body = error.putObject("error").put("code", status).put("message", getMessage());
        body.putArray("errors").addObject().put("message", getMessage()).put("domain", "global").put("reason", reason);
        return error.toString();
    }
}

package io.crossjobs.mockcloud.gce;

import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A synchronous GCE error: the HTTP status plus Google's JSON error body
 * {@code {"error":{"code":..,"message":..,"errors":[{"message","domain","reason"}]}}}.
 */
public final class GceError extends RuntimeException {
    /** Google's usual HTTP status for an error reason, used when a fault names none of its own. */
    private static final Map<String, Integer> STATUS_OF_REASON = Map.ofEntries(
            Map.entry("quotaExceeded", 403), Map.entry("rateLimitExceeded", 403),
            Map.entry("userRateLimitExceeded", 403), Map.entry("forbidden", 403),
            Map.entry("insufficientPermissions", 403), Map.entry("accessNotConfigured", 403),
            Map.entry("authError", 401), Map.entry("required", 401), Map.entry("invalid", 400),
            Map.entry("badRequest", 400), Map.entry("invalidParameter", 400), Map.entry("resourceNotReady", 400),
            Map.entry("notFound", 404), Map.entry("alreadyExists", 409), Map.entry("conflict", 409),
            Map.entry("fieldSizeTooLarge", 413), Map.entry("backendError", 503), Map.entry("internalError", 500));

    private final int status;
    private final String reason;
    /** The canonical status name Google's newer front ends add ({@code UNAUTHENTICATED}), or null. */
    private final String statusName;

    public GceError(int status, String reason, String message) {
        this(status, reason, message, null);
    }

    private GceError(int status, String reason, String message, String statusName) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.statusName = statusName;
    }

    /**
     * A revoked or unknown credential: 401 {@code authError} "Invalid Credentials", with the message and
     * {@code UNAUTHENTICATED} status Google's APIs answer an invalid access token with.
     */
    public static GceError unauthenticated() {
        return new GceError(401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 "
                + "access token, login cookie or other valid authentication credential. See "
                + "https://developers.google.com/identity/sign-in/web/devconsole-project.", "UNAUTHENTICATED");
    }

    /** A permission the caller lacks: 403 {@code forbidden} "Required 'P' permission for 'R'". */
    public static GceError forbidden(String permission, String resource) {
        return new GceError(403, "forbidden", "Required '" + permission + "' permission for '" + resource + "'");
    }

    public static GceError invalid(String message) {
        return new GceError(400, "invalid", message);
    }

    public static GceError notFound(String resourcePath) {
        return new GceError(404, "notFound", "The resource '" + resourcePath + "' was not found");
    }

    /**
     * The status an injected fault answers with: Google's own status for a known reason unless the fault set
     * one explicitly (the fault injector's generic defaults 400, 500 and 503 count as "not set").
     */
    static int statusFor(String reason, int injected) {
        Integer google = STATUS_OF_REASON.get(reason);
        boolean generic = injected == 400 || injected == 500 || injected == 503;
        return google != null && generic ? google : injected;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public ObjectNode body() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode error = f.objectNode();
        error.put("code", status).put("message", getMessage());
        ObjectNode first = error.putArray("errors").addObject().put("message", getMessage()).put("domain", domain())
                .put("reason", reason);
        if (statusName != null) {
            first.put("message", "Invalid Credentials").put("location", "Authorization").put("locationType", "header");
            error.put("status", statusName);
        }
        ObjectNode body = f.objectNode();
        body.set("error", error);
        return body;
    }

    private String domain() {
        return switch (reason) {
            case "quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded" -> "usageLimits";
            default -> "global";
        };
    }
}

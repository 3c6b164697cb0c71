package io.crossjobs.provisioner.gcp.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.BaseServiceException;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.provisioner.model.CloudError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * GCE errors in the shared taxonomy, with the scope the controller should block (see reference/skypilot-facts.md).
 * Two sources: an operation's error code (UPPER_SNAKE_CASE, e.g. ZONE_RESOURCE_POOL_EXHAUSTED) and a synchronous
 * HTTP error's reason (lowerCamel, e.g. quotaExceeded). Codes not in the table fall back on the HTTP status.
 */
public final class GceErrorClassifier {
    private record Entry(ErrorClass errorClass, BlockScope scope) { }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Entry> CODES = Map.ofEntries(
            entry("ZONE_RESOURCE_POOL_EXHAUSTED", ErrorClass.CAPACITY, BlockScope.ZONE),
            entry("ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS", ErrorClass.CAPACITY, BlockScope.ZONE),
            entry("insufficientCapacity", ErrorClass.CAPACITY, BlockScope.ZONE),
            // spot VM preempted while it was being created
            entry("UNSUPPORTED_OPERATION", ErrorClass.CAPACITY, BlockScope.ZONE),
            entry("RESOURCE_NOT_READY", ErrorClass.CAPACITY, BlockScope.ZONE),
            entry("resourceNotReady", ErrorClass.CAPACITY, BlockScope.ZONE),
            entry("RESOURCE_OPERATION_RATE_EXCEEDED", ErrorClass.THROTTLED, BlockScope.ZONE),
            entry("QUOTA_EXCEEDED", ErrorClass.QUOTA, BlockScope.REGION),
            entry("quotaExceeded", ErrorClass.QUOTA, BlockScope.REGION),
            entry("rateLimitExceeded", ErrorClass.THROTTLED, BlockScope.REGION),
            entry("userRateLimitExceeded", ErrorClass.THROTTLED, BlockScope.REGION),
            entry("forbidden", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("insufficientPermissions", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("accessNotConfigured", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("authError", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("PERMISSION_DENIED", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("invalid", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            entry("badRequest", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            entry("invalidParameter", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            entry("INVALID_ARGUMENT", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            // a value over GCE's size limit, e.g. a metadata value (the startup script) over 256 KB
            entry("fieldSizeTooLarge", ErrorClass.UNSUPPORTED, BlockScope.CLOUD),
            entry(GceAccelerators.UNKNOWN_ACCELERATOR, ErrorClass.UNSUPPORTED, BlockScope.CLOUD),
            entry("backendError", ErrorClass.TRANSIENT, BlockScope.ZONE),
            entry("internalError", ErrorClass.TRANSIENT, BlockScope.ZONE),
            entry("INTERNAL_ERROR", ErrorClass.TRANSIENT, BlockScope.ZONE));

    /**
     * Refusals GCE gives a general reason (badRequest, invalid) that mean "not offered here": told apart by their
     * message, and checked before the codes.
     */
    private static final List<Map.Entry<Pattern, Entry>> MESSAGES = List.of(
            // an accelerator type the zone does not have: "The resource 'projects/p/zones/z/acceleratorTypes/t'
            // was not found" (another zone may have it)
            Map.entry(Pattern.compile("/acceleratorTypes/[^/']+' was not found"),
                    new Entry(ErrorClass.UNSUPPORTED, BlockScope.ZONE)),
            // "Machine type with name 'x' does not exist in zone 'z'."
            Map.entry(Pattern.compile("Machine type with name '[^']*' does not exist in zone"),
                    new Entry(ErrorClass.UNSUPPORTED, BlockScope.ZONE)),
            // "[e2-standard-4, nvidia-tesla-t4] features are not compatible for creating instance.": the same in
            // every zone of GCE
            Map.entry(Pattern.compile("features are not compatible for creating instance"),
                    new Entry(ErrorClass.UNSUPPORTED, BlockScope.CLOUD)),
            // the VPC network the instances attach to is missing from the project: "The resource
            // 'projects/p/global/networks/default' was not found" (404): no zone of this project can launch, another
            // cloud can; `crossjobs check` names the fix
            Map.entry(Pattern.compile("/global/networks/[^/']+' was not found"),
                    new Entry(ErrorClass.UNSUPPORTED, BlockScope.CLOUD)));

    /**
     * A quota counted over every region (GPUS_ALL_REGIONS, CPUS_ALL_REGIONS: "... Limit: 0.0 globally."): another
     * region cannot help.
     */
    static final Pattern ALL_REGIONS_QUOTA = Pattern.compile("Quota '[A-Z0-9_]+_ALL_REGIONS' exceeded|\\bglobally\\.");

    public static CloudError classify(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof GceOperationException op) return fromCode(op.code(), op.detail(), op.httpStatus());
        if (e instanceof ApiException api) {
            JsonNode body = body(api);
            String reason = body.path("error").path("errors").path(0).path("reason").asText(null);
            String message = body.path("error").path("message").asText(api.getMessage());
            int status = body.path("error").path("code").asInt(httpStatus(api));
            if (reason == null) reason = api.getReason();
            if (reason != null) return fromCode(reason, message, status);
            if (status == 0) {
                // no answer from GCE (connection refused, timeout): nothing says the request itself is wrong
                return new CloudError(ErrorClass.TRANSIENT, BlockScope.ZONE, api.getStatusCode().getCode().name(), message);
            }
            Entry entry = byStatus(status);
            return new CloudError(entry.errorClass(), entry.scope(), "HTTP" + status, message);
        }
        if (e instanceof BaseServiceException storage) {
            // Cloud Storage (the output store): Google's reason and HTTP status, 0 when no answer came
            if (storage.getReason() != null) return fromCode(storage.getReason(), storage.getMessage(), storage.getCode());
            if (storage.getCode() == 0) {
                return new CloudError(ErrorClass.TRANSIENT, BlockScope.ZONE, "NO_ANSWER", storage.getMessage());
            }
            Entry entry = byStatus(storage.getCode());
            return new CloudError(entry.errorClass(), entry.scope(), "HTTP" + storage.getCode(), storage.getMessage());
        }
        if (e instanceof UncheckedIOException || e instanceof IOException) {
            // Application Default Credentials missing or unusable
            return new CloudError(ErrorClass.AUTH, BlockScope.CLOUD, "CREDENTIALS", e.getMessage());
        }
        return new CloudError(ErrorClass.UNKNOWN, BlockScope.ZONE, e.getClass().getSimpleName(), e.getMessage());
    }

    /** The error's Google reason (alreadyExists, notFound, ...) or operation code, when it has one. */
    public static String reasonOf(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof GceOperationException op) return op.code();
        if (e instanceof ApiException api) {
            String reason = body(api).path("error").path("errors").path(0).path("reason").asText(null);
            return reason != null ? reason : api.getReason();
        }
        return null;
    }

    private static CloudError fromCode(String code, String message, int status) {
        Entry entry = byMessage(message);
        if (entry == null) entry = CODES.get(code);
        if (entry == null) entry = byStatus(status);
        if (entry.errorClass() == ErrorClass.QUOTA && message != null && ALL_REGIONS_QUOTA.matcher(message).find()) {
            entry = new Entry(ErrorClass.QUOTA, BlockScope.CLOUD);
        }
        return new CloudError(entry.errorClass(), entry.scope(), code, message);
    }

    private static Entry byMessage(String message) {
        if (message == null) return null;
        return MESSAGES.stream().filter(m -> m.getKey().matcher(message).find()).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    private static Entry byStatus(int status) {
        if (status == 429) return new Entry(ErrorClass.THROTTLED, BlockScope.REGION);
        if (status == 401 || status == 403) return new Entry(ErrorClass.AUTH, BlockScope.CLOUD);
        if (status >= 500) return new Entry(ErrorClass.TRANSIENT, BlockScope.ZONE);
        if (status == 400) return new Entry(ErrorClass.INVALID_REQUEST, BlockScope.CLOUD);
        return new Entry(ErrorClass.UNKNOWN, BlockScope.ZONE);
    }

    /** The SDK keeps Google's JSON error only in the HTTP exception underneath; its own message is the status text. */
    private static JsonNode body(ApiException api) {
        for (Throwable c = api.getCause(); c != null; c = c.getCause()) {
            if (c instanceof HttpResponseException http && http.getContent() != null) {
                try {
                    return JSON.readTree(http.getContent());
                } catch (IOException | RuntimeException ignored) {
                    return JSON.createObjectNode();
                }
            }
        }
        return JSON.createObjectNode();
    }

    private static int httpStatus(ApiException api) {
        for (Throwable c = api.getCause(); c != null; c = c.getCause()) {
            if (c instanceof HttpResponseException http) return http.getStatusCode();
        }
        return api.getStatusCode().getTransportCode() instanceof Integer i ? i : 0;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Map.Entry<String, Entry> entry(String code, ErrorClass c, BlockScope s) {
        return Map.entry(code, new Entry(c, s));
    }

    private GceErrorClassifier() { }
}

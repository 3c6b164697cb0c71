package io.crossjobs.provisioner.azure.service;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementException;
import com.azure.storage.blob.models.BlobStorageException;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.provisioner.model.CloudError;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * ARM error codes in the shared taxonomy, with the scope the controller should block (reference/skypilot-facts.md).
 * SkyPilot blocks the whole region on any Azure error; crossjobs is finer where the code says so:
 * <ul>
 *   <li>ZonalAllocationFailed / OverconstrainedZonalAllocationRequest name the requested zone: other zones of the
 *       region may still have the size → ZONE.</li>
 *   <li>AllocationFailed / OverconstrainedAllocationRequest answer a request Azure could place anywhere in the
 *       region → CAPACITY / REGION; SkuNotAvailable says the size is not offered "in location" → UNSUPPORTED /
 *       REGION (another region may offer it).</li>
 *   <li>Quota (QuotaExceeded, and OperationNotAllowed when its message is about quota) is per region and VM family,
 *       and waiting never raises it → REGION. OperationNotAllowed is also Compute's answer to a request it will
 *       never take (an OS disk smaller than the image's): without "quota" in the message it is INVALID_REQUEST.</li>
 *   <li>Authentication and a disabled subscription hold for every region → CLOUD.</li>
 * </ul>
 * Codes not in the table fall back on the HTTP status.
 */
public final class AzureErrorClassifier {
    private record Entry(ErrorClass errorClass, BlockScope scope) { }

    private static final Map<String, Entry> CODES = Map.ofEntries(
            entry("ZonalAllocationFailed", ErrorClass.CAPACITY, BlockScope.ZONE),
            entry("OverconstrainedZonalAllocationRequest", ErrorClass.CAPACITY, BlockScope.ZONE),
            entry("AllocationFailed", ErrorClass.CAPACITY, BlockScope.REGION),
            entry("OverconstrainedAllocationRequest", ErrorClass.CAPACITY, BlockScope.REGION),
            entry("SkuNotAvailable", ErrorClass.UNSUPPORTED, BlockScope.REGION),
            entry("OperationNotAllowed", ErrorClass.QUOTA, BlockScope.REGION),
            entry("QuotaExceeded", ErrorClass.QUOTA, BlockScope.REGION),
            entry("AuthorizationFailed", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("LinkedAuthorizationFailed", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("ReadOnlyDisabledSubscription", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("InvalidAuthenticationToken", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("AuthenticationFailed", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("TooManyRequests", ErrorClass.THROTTLED, BlockScope.REGION),
            entry("InvalidParameter", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            entry("InvalidRequestContent", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            entry("LocationRequired", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            entry("BadRequest", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            // crossjobs' own VNet: a network-address-prefix Network will not take is wrong in every region
            entry("NetcfgSubnetRangeOutsideVnet", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            entry("InvalidCIDRNotation", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            // marketplace images and subnets are regional
            entry("PlatformImageNotFound", ErrorClass.INVALID_REQUEST, BlockScope.REGION),
            entry("InvalidResourceReference", ErrorClass.INVALID_REQUEST, BlockScope.REGION),
            entry("InternalServerError", ErrorClass.TRANSIENT, BlockScope.ZONE),
            entry("InternalExecutionError", ErrorClass.TRANSIENT, BlockScope.ZONE),
            entry("ServiceUnavailable", ErrorClass.TRANSIENT, BlockScope.ZONE),
            entry("GatewayTimeout", ErrorClass.TRANSIENT, BlockScope.ZONE));

    /**
     * Blob Storage's codes (learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes): the output
     * store is one account for every region, so what is wrong with its key or permissions is wrong everywhere;
     * ServerBusy is the account's throttling.
     */
    private static final Map<String, Entry> STORAGE_CODES = Map.ofEntries(
            entry("AuthenticationFailed", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("AuthorizationFailure", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("AuthorizationPermissionMismatch", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("KeyBasedAuthenticationNotPermitted", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("AccountIsDisabled", ErrorClass.AUTH, BlockScope.CLOUD),
            entry("InvalidResourceName", ErrorClass.INVALID_REQUEST, BlockScope.CLOUD),
            entry("ServerBusy", ErrorClass.THROTTLED, BlockScope.REGION),
            // the store's container was deleted moments ago: its name is free again in a while
            entry("ContainerBeingDeleted", ErrorClass.TRANSIENT, BlockScope.ZONE),
            entry("OperationTimedOut", ErrorClass.TRANSIENT, BlockScope.ZONE),
            entry("InternalError", ErrorClass.TRANSIENT, BlockScope.ZONE));

    public static CloudError classify(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ArmOperationFailedException op) {
            Entry entry = entry(op.code(), op.getMessage());
            if (entry == null) entry = new Entry(ErrorClass.UNKNOWN, BlockScope.ZONE);
            return new CloudError(entry.errorClass(), entry.scope(), op.code(), op.getMessage());
        }
        if (e instanceof ManagementException arm) {
            String code = arm.getValue() == null ? null : arm.getValue().getCode();
            String message = arm.getValue() == null ? arm.getMessage() : arm.getValue().getMessage();
            int status = arm.getResponse() == null ? 0 : arm.getResponse().getStatusCode();
            // Compute's own throttling is 429 OperationNotAllowed: the status says throttled, not the code
            Entry entry = status == 429 ? byStatus(status) : entry(code, message);
            if (entry == null) entry = byStatus(status);
            return new CloudError(entry.errorClass(), entry.scope(), code == null ? "HTTP" + status : code, message);
        }
        if (e instanceof BlobStorageException blob) {
            int status = blob.getStatusCode();
            String code = blob.getErrorCode() == null ? "HTTP" + status : blob.getErrorCode().toString();
            Entry entry = STORAGE_CODES.getOrDefault(code, byStatus(status));
            return new CloudError(entry.errorClass(), entry.scope(), code, blob.getServiceMessage() == null
                    ? blob.getMessage() : blob.getServiceMessage());
        }
        if (e instanceof HttpResponseException http && http.getResponse() != null) {
            int status = http.getResponse().getStatusCode();
            Entry entry = byStatus(status);
            return new CloudError(entry.errorClass(), entry.scope(), "HTTP" + status, http.getMessage());
        }
        if (noAnswer(e)) {
            // no answer from ARM (connection refused, TLS, timeout): nothing says the request itself is wrong
            return new CloudError(ErrorClass.TRANSIENT, BlockScope.ZONE, "ClientError",
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return new CloudError(ErrorClass.UNKNOWN, BlockScope.ZONE, e.getClass().getSimpleName(),
                String.valueOf(e.getMessage()));
    }

    /** The table's entry for a code; null when the code is not in it. */
    private static Entry entry(String code, String message) {
        if (code == null) return null;
        if (code.equals("OperationNotAllowed") && message != null
                && !message.toLowerCase(java.util.Locale.ROOT).contains("quota")) {
            return new Entry(ErrorClass.INVALID_REQUEST, BlockScope.CLOUD);
        }
        return CODES.get(code);
    }

    private static boolean noAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.io.UncheckedIOException || t instanceof io.vertx.core.VertxException) {
                return true;
            }
        }
        return false;
    }

    private static Entry byStatus(int status) {
        if (status == 429) return new Entry(ErrorClass.THROTTLED, BlockScope.REGION);
        if (status >= 500) return new Entry(ErrorClass.TRANSIENT, BlockScope.ZONE);
        if (status == 401 || status == 403) return new Entry(ErrorClass.AUTH, BlockScope.CLOUD);
        return new Entry(ErrorClass.UNKNOWN, BlockScope.ZONE);
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException
                || e.getClass().getName().startsWith("reactor.core.Exceptions$")) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static Map.Entry<String, Entry> entry(String code, ErrorClass c, BlockScope s) {
        return Map.entry(code, new Entry(c, s));
    }

    private AzureErrorClassifier() { }
}

package io.crossjobs.mockcloud.arm;

import java.util.Map;
import java.util.Set;

import io.crossjobs.mockcloud.sim.FaultInjector;
import io.crossjobs.mockcloud.sim.SimulatedFault;

/**
 * How an injected fault looks on ARM. Allocation failures happen inside the create operation (the PUT is
 * accepted with 201, the operation ends Failed), as Azure reports them; every other code is a synchronous
 * error with Azure's own HTTP status for it, unless the fault named a status of its own.
 */
final class ArmErrors {
    /** Codes Azure reports in the async operation of a create, not on the PUT itself. */
    static final Set<String> IN_OPERATION = Set.of("AllocationFailed", "ZonalAllocationFailed",
            "OverconstrainedAllocationRequest", "OverconstrainedZonalAllocationRequest");

    private static final Map<String, Integer> STATUS = Map.ofEntries(
            Map.entry("SkuNotAvailable", 409),
            Map.entry("OperationNotAllowed", 409),
            Map.entry("QuotaExceeded", 409),
            Map.entry("ReadOnlyDisabledSubscription", 409),
            Map.entry("Conflict", 409),
            Map.entry("AuthorizationFailed", 403),
            Map.entry("LinkedAuthorizationFailed", 403),
            Map.entry("InvalidAuthenticationToken", 401),
            Map.entry("AuthenticationFailed", 401),
            Map.entry("TooManyRequests", 429),
            Map.entry("InvalidParameter", 400),
            Map.entry("BadRequest", 400),
            Map.entry("ResourceNotFound", 404),
            Map.entry("NotFound", 404),
            Map.entry("InternalServerError", 500),
            Map.entry("InternalExecutionError", 500),
            Map.entry("ServiceUnavailable", 503),
            Map.entry("GatewayTimeout", 504));

    private static final Map<String, String> MESSAGES = Map.of(
            "SkuNotAvailable", "The requested VM size %s is currently not available in location '%s'. Please try"
                    + " another size or deploy to a different location or different zone.",
            "AllocationFailed", "Allocation failed. We do not have sufficient capacity for the requested VM size %s"
                    + " in this region (%s).",
            "ZonalAllocationFailed", "Allocation failed. We do not have sufficient capacity for the requested VM"
                    + " size %s in this zone of %s.",
            "OperationNotAllowed", "Operation could not be completed as it results in exceeding approved cores quota"
                    + " for %s in location '%s'.",
            "TooManyRequests", "The request is being throttled (%s, %s).");

    /** Azure's status for the fault's code when the fault kept the simulator's generic default. */
    static int status(SimulatedFault f) {
        if (f.httpStatus() != FaultInjector.defaultStatus(f.errorCode())) return f.httpStatus();
        return STATUS.getOrDefault(f.errorCode(), f.httpStatus());
    }

    /** The fault's message, in Azure's wording when the injector only had a generic one. */
    static String message(SimulatedFault f, String vmSize, String location) {
        String template = MESSAGES.get(f.errorCode());
        boolean generic = f.getMessage() == null || f.getMessage().startsWith("Injected fault ");
        if (template != null && generic) return String.format(template, vmSize, location);
        return f.getMessage() == null ? f.errorCode() : f.getMessage();
    }

    private ArmErrors() { }
}

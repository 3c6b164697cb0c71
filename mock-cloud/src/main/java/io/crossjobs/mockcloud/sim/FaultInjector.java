package io.crossjobs.mockcloud.sim;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injected errors and delays, consumed in the order they were added. Thread-safe.
 *
 * <p>A matching delay is served by sleeping the calling thread, outside this injector's lock: every front end
 * calls in from a worker thread (never an event loop), and callers must not hold a lock that other calls need.
 */
public final class FaultInjector {
    private static final Set<String> SERVER_ERRORS = Set.of("InsufficientInstanceCapacity",
            "InsufficientHostCapacity", "InsufficientReservedInstanceCapacity", "InsufficientCapacity",
            "InsufficientCapacityOnHost", "InternalError", "InternalFailure", "Unavailable",
            "ZONE_RESOURCE_POOL_EXHAUSTED", "SkuNotAvailable", "AllocationFailed", "ZonalAllocationFailed",
            "OverconstrainedAllocationRequest");
    private static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "ServiceUnavailable",
            "Throttling", "ThrottlingException");

    /** Longest accepted delay: a fault that slows a call longer than this is a typo, not a test. */
    public static final long MAX_DELAY_MS = 600_000;

    private final List<FaultRule> rules = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    public FaultInjector(Clock clock) {
        this.clock = clock;
    }

    public FaultRule add(FaultSpec spec) {
        String errorCode = blankToNull(spec.errorCode());
        long delayMs = spec.delayMs() == null ? 0 : spec.delayMs();
        if (delayMs < 0 || delayMs > MAX_DELAY_MS) {
            throw new IllegalArgumentException("delayMs must be between 0 and " + MAX_DELAY_MS);
        }
        if (errorCode == null && delayMs == 0) {
            throw new IllegalArgumentException("errorCode is required (or a positive delayMs for a pure delay)");
        }
        int count = spec.count() == null ? 1 : spec.count();
        if (count < 1) throw new IllegalArgumentException("count must be at least 1");
        Integer status = null;
        if (errorCode != null) {
            status = spec.httpStatus() == null ? defaultStatus(errorCode) : spec.httpStatus();
            if (status < 400 || status > 599) throw new IllegalArgumentException("httpStatus must be 4xx or 5xx");
        } else if (spec.httpStatus() != null) {
            throw new IllegalArgumentException("httpStatus needs an errorCode");
        }
        String cloud = spec.cloud() == null ? null : Cloud.of(spec.cloud()).id();
        FaultRule rule = new FaultRule("fault-" + ids.incrementAndGet(), cloud, blankToNull(spec.region()),
                blankToNull(spec.zone()), blankToNull(spec.instanceType()), blankToNull(spec.action()), count,
                errorCode, status, blankToNull(spec.message()), delayMs, clock.instant());
        synchronized (rules) {
            rules.add(rule);
        }
        return rule;
    }

    /**
     * Consumes one use of the first rule that matches, sleeps for its delay, and returns its error as an
     * exception to throw, or null (no rule matched, or the rule only delays).
     */
    public SimulatedFault consume(FaultContext ctx) {
        FaultRule hit = take(ctx);
        if (hit == null) return null;
        if (hit.delayMs() > 0) sleep(hit.delayMs());
        if (hit.errorCode() == null) return null;
        String message = hit.message() != null ? hit.message() : defaultMessage(hit.errorCode(), ctx);
        return new SimulatedFault(hit.errorCode(), hit.httpStatus(), message);
    }

    private FaultRule take(FaultContext ctx) {
        synchronized (rules) {
            for (ListIterator<FaultRule> it = rules.listIterator(); it.hasNext(); ) {
                FaultRule rule = it.next();
                if (!matches(rule, ctx)) continue;
                if (rule.remaining() <= 1) it.remove();
                else it.set(rule.withRemaining(rule.remaining() - 1));
                return rule;
            }
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // shutting down: answer now rather than hang, and let the caller see the interrupt
            Thread.currentThread().interrupt();
        }
    }

    public List<FaultRule> list() {
        synchronized (rules) {
            return List.copyOf(rules);
        }
    }

    public boolean remove(String id) {
        synchronized (rules) {
            for (Iterator<FaultRule> it = rules.iterator(); it.hasNext(); ) {
                if (it.next().id().equals(id)) {
                    it.remove();
                    return true;
                }
            }
        }
        return false;
    }

    public int clear() {
        synchronized (rules) {
            int n = rules.size();
            rules.clear();
            return n;
        }
    }

    static boolean matches(FaultRule rule, FaultContext ctx) {
        if (rule.cloud() != null && !rule.cloud().equals(ctx.cloud().id())) return false;
        if (rule.region() != null && !rule.region().equalsIgnoreCase(ctx.region())) return false;
        if (rule.zone() != null && !rule.zone().equalsIgnoreCase(ctx.zone())) return false;
        if (rule.instanceType() != null && !rule.instanceType().equalsIgnoreCase(ctx.instanceType())) return false;
        if (rule.action() == null) return ctx.launch();
        return rule.action().equalsIgnoreCase(ctx.action());
    }

    public static int defaultStatus(String code) {
        if (SERVER_ERRORS.contains(code)) return 500;
        if (THROTTLING.contains(code)) return 503;
        return 400;
    }

    static String defaultMessage(String code, FaultContext ctx) {
        if (code.toLowerCase(Locale.ROOT).startsWith("insufficientinstancecapacity")) {
            String type = ctx.instanceType() == null ? "instance" : ctx.instanceType();
            String zone = ctx.zone() == null ? ctx.region() : ctx.zone();
            return "We currently do not have sufficient " + type + " capacity in the Availability Zone you requested ("
                    + zone + "). Our system will be working on provisioning additional capacity. You can currently get "
                    + type + " capacity by not specifying an Availability Zone in your request or choosing a different"
                    + " Availability Zone.";
        }
        if (THROTTLING.contains(code)) return "Request limit exceeded.";
        return "Injected fault " + code + " (mock-cloud)";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

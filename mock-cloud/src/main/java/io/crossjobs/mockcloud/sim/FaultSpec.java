package io.crossjobs.mockcloud.sim;

/**
 * What to inject: the next {@code count} calls that match are slowed by {@code delayMs}, fail with
 * {@code errorCode}, or both (slow, then fail). A null matcher field matches anything. A null {@code action}
 * matches the launch calls of every front end (RunInstances, ...); a named action (DescribeInstances,
 * TerminateInstances, ...) matches only calls of that name.
 *
 * @param errorCode  null: the call is only slowed (then {@code delayMs} must be positive)
 * @param httpStatus null: 500 for capacity and internal errors, 503 for throttling, else 400
 * @param message    null: a message in the cloud's own wording
 * @param delayMs    null or 0: no delay; else the matching call is answered only after this many milliseconds
 */
public record FaultSpec(String cloud, String region, String zone, String instanceType, String action, Integer count,
                        String errorCode, Integer httpStatus, String message, Long delayMs) {

    /** A fault without delay. */
    public FaultSpec(String cloud, String region, String zone, String instanceType, String action, Integer count,
                     String errorCode, Integer httpStatus, String message) {
        this(cloud, region, zone, instanceType, action, count, errorCode, httpStatus, message, null);
    }
}

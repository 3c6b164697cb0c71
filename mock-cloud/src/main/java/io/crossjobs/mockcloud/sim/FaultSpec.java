package io.crossjobs.mockcloud.sim;

/**
 * What to inject: the next {@code count} calls that match fail with {@code errorCode}. A null matcher field
 * matches anything. A null {@code action} matches the launch calls of every front end (RunInstances, ...);
 * a named action (DescribeInstances, TerminateInstances, ...) matches only calls of that name.
 *
 * @param httpStatus null: 500 for capacity and internal errors, 503 for throttling, else 400
 * @param message    null: a message in the cloud's own wording
 */
public record FaultSpec(String cloud, String region, String zone, String instanceType, String action, Integer count,
                        String errorCode, Integer httpStatus, String message) {
}

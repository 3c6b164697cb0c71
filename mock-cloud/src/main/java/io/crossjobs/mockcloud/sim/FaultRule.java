package io.crossjobs.mockcloud.sim;

import java.time.Instant;

/**
 * An active fault with how many more calls it will slow down and/or fail.
 *
 * @param errorCode  null for a pure delay
 * @param httpStatus null for a pure delay
 * @param delayMs    0 for no delay
 */
public record FaultRule(String id, String cloud, String region, String zone, String instanceType, String action,
                        int remaining, String errorCode, Integer httpStatus, String message, long delayMs,
                        Instant createdAt) {

    FaultRule withRemaining(int n) {
        return new FaultRule(id, cloud, region, zone, instanceType, action, n, errorCode, httpStatus, message,
                delayMs, createdAt);
    }
}

package io.crossjobs.mockcloud.sim;

import java.time.Instant;

/** An active fault with how many more calls it will fail. */
public record FaultRule(String id, String cloud, String region, String zone, String instanceType, String action,
                        int remaining, String errorCode, int httpStatus, String message, Instant createdAt) {

    FaultRule withRemaining(int n) {
        return new FaultRule(id, cloud, region, zone, instanceType, action, n, errorCode, httpStatus, message,
                createdAt);
    }
}

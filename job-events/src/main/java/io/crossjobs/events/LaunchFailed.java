package io.crossjobs.events;

import java.time.Instant;

/** provisioner → controller: the cloud refused the launch; the error is classified once, by the adapter. */
public record LaunchFailed(String jobId, int attempt, String clusterName, String cloud, String region, String zone,
                           ErrorClass errorClass, BlockScope scope, String errorCode, String message, Instant at)
        implements JobEvent {
}

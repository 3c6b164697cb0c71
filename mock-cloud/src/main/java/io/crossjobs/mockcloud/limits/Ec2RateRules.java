package io.crossjobs.mockcloud.limits;

import io.crossjobs.mockcloud.limits.Limit.Per;
import io.crossjobs.mockcloud.sim.SimulatedFault;

import java.time.Duration;
import java.util.List;

/**
 * EC2's request throttling (docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html): per account and
 * region, one token bucket per action, sized by the action's category, plus a resource bucket counted in instances
 * for RunInstances, StartInstances, StopInstances and TerminateInstances. A throttled call gets
 * {@code RequestLimitExceeded}, which EC2 lists as a server error (HTTP 503 as observed).
 */
final class Ec2RateRules implements CloudRateRules {
    /** DescribeInstances with neither a filter nor pagination: its own, smaller bucket. */
    static final String UNFILTERED_DESCRIBE = "DescribeInstances(unfiltered)";

    @Override
    public List<Limit> limitsOf(ApiCall call) {
        String a = call.action();
        return switch (a) {
            case "RunInstances", "StartInstances" -> List.of(Limit.bucket(a, Per.REGION, 5, 2),
                    Limit.bucket(a + " instances", Per.REGION, 1000, 2).countingUnits());
            case "TerminateInstances" -> List.of(Limit.bucket(a, Per.REGION, 100, 5),
                    Limit.bucket(a + " instances", Per.REGION, 1000, 20).countingUnits());
            // StopInstances has no request bucket of its own: the mutating default
            case "StopInstances" -> List.of(Limit.bucket(a, Per.REGION, 50, 5),
                    Limit.bucket(a + " instances", Per.REGION, 1000, 20).countingUnits());
            case "CreateTags", "DeleteTags" -> List.of(Limit.bucket(a, Per.REGION, 100, 10));
            case UNFILTERED_DESCRIBE -> List.of(Limit.bucket(a, Per.REGION, 50, 10));
            default -> List.of(nonMutating(a) ? Limit.bucket(a, Per.REGION, 100, 20)
                    : Limit.bucket(a, Per.REGION, 50, 5));
        };
    }

    private static boolean nonMutating(String action) {
        return action.startsWith("Describe") || action.startsWith("Get") || action.startsWith("List")
                || action.startsWith("Search");
    }

    @Override
    public SimulatedFault throttled(ApiCall call, Limit limit, Duration wait) {
        // EC2 says nothing of when to come back: its SDKs back off on their own
        return new SimulatedFault("RequestLimitExceeded", 503, "Request limit exceeded.");
    }
}

package io.crossjobs.mockcloud.limits;

import io.crossjobs.mockcloud.limits.Limit.Per;
import io.crossjobs.mockcloud.sim.SimulatedFault;

import java.time.Duration;
import java.util.List;

/**
 * Compute Engine's API rate quotas (cloud.google.com/compute/docs/api-rate-limits): per project, in one-minute
 * windows refilled at the next whole minute, by group: writes, reads, lists and operation reads per region, the
 * serial-port reads per region, and aggregatedList as a project-wide heavy-weight read. The current page gives no
 * default figures; its earlier version gave 1,500 per minute for the default (mutation), read, list and operation
 * read groups, used here for every group. A throttled call gets 403 {@code rateLimitExceeded}.
 */
final class GceRateRules implements CloudRateRules {
    static final long PER_MINUTE = 1_500;

    @Override
    public List<Limit> limitsOf(ApiCall call) {
        String a = call.action();
        String metric;
        Per per = Per.REGION;
        if (a.equals("instances.aggregatedList")) {
            metric = "Heavy-weight read requests";
            per = Per.ACCOUNT;
        } else if (a.equals("instances.getSerialPortOutput")) {
            metric = "GetSerialPortOutput requests";
        } else if (a.endsWith(".list")) {
            metric = "List requests";
        } else if (a.startsWith("zoneOperations.") || a.startsWith("regionOperations.")
                || a.startsWith("globalOperations.")) {
            metric = "Operation read requests";
        } else if (a.endsWith(".get")) {
            metric = "Read requests";
        } else {
            metric = "Write requests";
        }
        return List.of(Limit.perMinute(metric, per, PER_MINUTE));
    }

    @Override
    public SimulatedFault throttled(ApiCall call, Limit limit, Duration wait) {
        String scope = limit.per() == Per.ACCOUNT ? " per minute" : " per minute per region";
        return new SimulatedFault("rateLimitExceeded", 403, "Quota exceeded for quota metric '" + limit.name()
                + "' and limit '" + limit.name() + scope + "' of service 'compute.googleapis.com' for consumer"
                + " 'project_number:123456789012'.");
    }
}

package io.crossjobs.mockcloud.limits;

import io.crossjobs.mockcloud.limits.Limit.Per;
import io.crossjobs.mockcloud.sim.SimulatedFault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Azure's two layers of throttling. Resource Manager (learn.microsoft.com/azure/azure-resource-manager/management/
 * request-limits-and-throttling): token buckets per subscription, reads 250 refilled 25/s, writes and deletes 200
 * refilled 10/s each; a POST such as retrieveBootDiagnosticsData is a write. Then the Compute resource provider
 * (learn.microsoft.com/azure/virtual-machines/compute-throttling-limits), per region per minute (max, refill a
 * minute): put/update/delete VM 1,500/500 per subscription and 12/4 per VM; low-cost gets (a VM's GET, its instance
 * view, retrieveBootDiagnosticsData) 24,000/8,000 per subscription and 36/12 per VM; listing VMs 900/300. A throttled
 * call gets 429 with {@code Retry-After}: {@code OperationNotAllowed} from Compute
 * (learn.microsoft.com/troubleshoot/azure/virtual-machines/troubleshooting-throttling-errors), from Resource Manager
 * {@code SubscriptionRequestsThrottled}.
 */
final class ArmRateRules implements CloudRateRules {
    private static final String ARM = "Microsoft.Resources/";
    private static final String COMPUTE = "Microsoft.Compute/";

    @Override
    public List<Limit> limitsOf(ApiCall call) {
        String a = call.action();
        List<Limit> limits = new ArrayList<>();
        limits.add(armLimit(a));
        if (a.startsWith("virtualMachines.")) {
            switch (a) {
                case "virtualMachines.createOrUpdate", "virtualMachines.update", "virtualMachines.delete" -> {
                    limits.add(perMinuteBucket(COMPUTE + "PutVM", Per.REGION, 1_500, 500));
                    if (call.resource() != null) limits.add(perMinuteBucket(COMPUTE + "PutVMPerVM", Per.RESOURCE, 12, 4));
                }
                case "virtualMachines.list" -> limits.add(perMinuteBucket(COMPUTE + "ListVMs", Per.REGION, 900, 300));
                default -> {
                    limits.add(perMinuteBucket(COMPUTE + "LowCostGet", Per.REGION, 24_000, 8_000));
                    if (call.resource() != null) {
                        limits.add(perMinuteBucket(COMPUTE + "LowCostGetPerVM", Per.RESOURCE, 36, 12));
                    }
                }
            }
        }
        return limits;
    }

    private static Limit armLimit(String action) {
        if (action.endsWith(".delete")) return Limit.bucket(ARM + "subscription-deletes", Per.ACCOUNT, 200, 10);
        if (action.endsWith(".get") || action.endsWith(".list") || action.endsWith(".instanceView")) {
            return Limit.bucket(ARM + "subscription-reads", Per.ACCOUNT, 250, 25);
        }
        return Limit.bucket(ARM + "subscription-writes", Per.ACCOUNT, 200, 10);
    }

    private static Limit perMinuteBucket(String name, Per per, double max, double refillPerMinute) {
        return Limit.bucket(name, per, max, refillPerMinute / 60.0);
    }

    @Override
    public SimulatedFault throttled(ApiCall call, Limit limit, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        if (limit.name().startsWith(COMPUTE)) {
            return new SimulatedFault("OperationNotAllowed", 429, "The server rejected the request because too many"
                    + " requests have been received for this subscription. (" + limit.name() + ")", seconds);
        }
        String kind = limit.name().substring(ARM.length() + "subscription-".length(), limit.name().length() - 1);
        return new SimulatedFault("SubscriptionRequestsThrottled", 429, "Number of " + kind + " requests for"
                + " subscription exceeded the limit of '" + (long) limit.capacity() + "'. Please try again after '"
                + seconds + "' seconds.", seconds);
    }
}

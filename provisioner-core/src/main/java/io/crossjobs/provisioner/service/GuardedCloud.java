package io.crossjobs.provisioner.service;

import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.ConsoleOutput;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RateLimit;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * The adapter behind SmallRye Fault Tolerance: every failure leaves as a classified {@link CloudCallException};
 * commands are retried with exponential backoff while the cloud throttles or fails transiently (slowing down
 * instead of failing the job), and console reads are rate-limited because they scale with running nodes.
 * The list call is not retried: the poller skips the region and backs off instead.
 */
@ApplicationScoped
public class GuardedCloud {
    private static final Logger LOG = Logger.getLogger(GuardedCloud.class);
    private final CloudProvisioner cloud;

    public GuardedCloud(CloudProvisioner cloud) {
        this.cloud = cloud;
    }

    public String cloudName() { return cloud.cloud(); }

    @Retry(retryOn = RetryableCloudCallException.class, maxRetries = 6, delay = 500, jitter = 200,
            maxDuration = 3, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public List<CloudInstance> launch(LaunchSpec spec) {
        return retrying(spec.cluster() + " region=" + spec.region() + " launch", () -> cloud.launch(spec));
    }

    @Retry(retryOn = RetryableCloudCallException.class, maxRetries = 6, delay = 500, jitter = 200,
            maxDuration = 3, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public int terminate(String region, ClusterKey cluster) {
        return retrying(cluster + " region=" + region + " terminate", () -> cloud.terminate(region, cluster));
    }

    public void writeNodeIps(String region, List<CloudInstance> nodes, String value) {
        call(() -> {
            cloud.writeNodeIps(region, nodes, value);
            return null;
        });
    }

    public String nodeIpsReadCommand() { return cloud.nodeIpsReadCommand(); }

    public List<CloudInstance> listManaged(String region) {
        return call(() -> cloud.listManaged(region));
    }

    @RateLimit(value = 20, window = 1, windowUnit = ChronoUnit.SECONDS)
    public ConsoleOutput readConsole(String region, String instanceId, long offset) {
        return call(() -> cloud.readConsole(region, instanceId, offset));
    }

    /** As {@link #call}, saying when a failure will be retried, since the backoff can hold a command a while. */
    private <T> T retrying(String what, Supplier<T> call) {
        try {
            return call(call);
        } catch (RetryableCloudCallException e) {
            LOG.infof("%s cloud=%s: %s; retrying with backoff", what, cloud.cloud(), e.error());
            throw e;
        }
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            HeldBackException heldBack = heldBack(e);
            if (heldBack != null) {
                throw CloudCallException.of(new CloudError(ErrorClass.THROTTLED, BlockScope.REGION, "HeldBack",
                        heldBack.getMessage()), e);
            }
            throw CloudCallException.of(cloud.classify(e), e);
        }
    }

    /** The pacing's refusal, however the SDK wrapped it on its way out. */
    private static HeldBackException heldBack(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HeldBackException h) return h;
        }
        return null;
    }
}

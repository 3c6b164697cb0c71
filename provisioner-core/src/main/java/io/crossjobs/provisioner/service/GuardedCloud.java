package io.crossjobs.provisioner.service;

import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * The adapter behind SmallRye Fault Tolerance: every failure leaves as a classified {@link CloudCallException};
 * commands are retried with exponential backoff while the cloud throttles or fails transiently (slowing down
 * instead of failing the job). The list call and output reads are not retried: the poller tries them again on a
 * later tick.
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

    @Retry(retryOn = RetryableCloudCallException.class, maxRetries = 6, delay = 500, jitter = 200,
            maxDuration = 3, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public OutputShipping outputShipping(ClusterKey cluster, String region, int rank, Duration validity) {
        return retrying(cluster + " region=" + region + " output shipping", () ->
                cloud.outputShipping(cluster, region, rank, validity));
    }

    @Retry(retryOn = RetryableCloudCallException.class, maxRetries = 6, delay = 500, jitter = 200,
            maxDuration = 3, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(factor = 2, maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public SecretDelivery secretDelivery(ClusterKey cluster, String region, int rank, String content,
                                         Duration validity) {
        return retrying(cluster + " region=" + region + " secret delivery", () ->
                cloud.secretDelivery(cluster, region, rank, content, validity));
    }

    /** Not guarded: the adapter turns every failure into a finding. */
    public List<AccountChecked.Finding> checkAccount(List<String> regions) {
        return cloud.checkAccount(regions);
    }

    public NodeOutput readOutput(CloudInstance node, long offset) {
        return call(() -> cloud.readOutput(node, offset));
    }

    public void deleteOutput(ClusterKey cluster) {
        call(() -> {
            cloud.deleteOutput(cluster);
            return null;
        });
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

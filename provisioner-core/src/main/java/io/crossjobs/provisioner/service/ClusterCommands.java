package io.crossjobs.provisioner.service;

import io.crossjobs.events.BlockScope;
import io.crossjobs.events.ClusterProgress;
import io.crossjobs.events.ClusterState;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.JobEvent;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.LaunchFailed;
import io.crossjobs.events.NodeIpsLookup;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.Placement;
import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CheckAccount;
import io.crossjobs.events.ScriptOptions;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.StartupScript;
import io.crossjobs.events.TerminateCluster;
import io.crossjobs.events.UserDataLimits;
import io.crossjobs.provisioner.config.ProvisionerConfig;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.provisioner.store.FileStaging;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out the controller's commands against the cloud and answers each with the one event to publish:
 * launch → {@link ClusterProgress} in the state read from the cloud (a replayed launch creates nothing and
 * re-reports) or {@link LaunchFailed} with the adapter's classification; terminate → TERMINATING, or
 * TERMINATED when nothing was left.
 */
@ApplicationScoped
public class ClusterCommands {
    private static final Logger LOG = Logger.getLogger(ClusterCommands.class);

    private final GuardedCloud cloud;
    private final ClusterTracker tracker;
    private final ProvisionerConfig config;
    private final SecretOpener secrets;
    private final SecretMasker masker;
    private final LaunchNonces nonces;
    private final FileStaging staging;
    private final Clock clock = Clock.systemUTC();

    public ClusterCommands(GuardedCloud cloud, ClusterTracker tracker, ProvisionerConfig config,
                           SecretOpener secrets, SecretMasker masker, LaunchNonces nonces, FileStaging staging) {
        this.cloud = cloud;
        this.tracker = tracker;
        this.config = config;
        this.secrets = secrets;
        this.masker = masker;
        this.nonces = nonces;
        this.staging = staging;
    }

    public JobEvent launch(LaunchCluster cmd) {
        ClusterKey key = new ClusterKey(cmd.jobId(), cmd.attempt(), cmd.clusterName());
        Placement p = cmd.placement();
        String region = p == null ? null : p.region();
        String zone = p == null ? null : p.zone();
        Optional<String> invalid = invalidLaunch(cmd);
        if (invalid.isPresent()) {
            return failed(cmd, region, zone, new CloudError(ErrorClass.INVALID_REQUEST, BlockScope.CLOUD,
                    "InvalidLaunchCommand", invalid.get()));
        }
        List<String> scripts;
        Map<String, String> plainSecrets;
        try {
            plainSecrets = secrets.open(cmd.secrets());
            // the node's private file: what must not be readable from the instance's description
            String privateFile = (plainSecrets.isEmpty() ? "" : StartupScript.secretsFile(plainSecrets))
                    + (cmd.fileMounts().isEmpty() ? "" : StartupScript.stagingFunction(staging.sign(cmd.fileMounts())));
            ScriptOptions options = ScriptOptions.defaults()
                    .withLookup(new NodeIpsLookup(cloud.nodeIpsReadCommand(), config.nodeIpsTimeout()))
                    .withExitNonce(nonces.of(key));
            scripts = new ArrayList<>();
            for (int rank = 0; rank < cmd.numNodes(); rank++) {
                OutputShipping shipping = cloud.outputShipping(key, region, rank, config.outputUploadValidity());
                SecretDelivery delivery = privateFile.isEmpty() ? null
                        : cloud.secretDelivery(key, region, rank, privateFile, config.secretFetchValidity());
                scripts.add(StartupScript.render(cmd, rank, options.withShipping(shipping).withSecrets(delivery)));
            }
        } catch (CloudCallException e) {
            return failed(cmd, region, zone, e.error());
        } catch (IllegalArgumentException e) {
            return failed(cmd, region, zone, new CloudError(ErrorClass.INVALID_REQUEST, BlockScope.CLOUD,
                    "InvalidTask", e.getMessage()));
        }
        // the cloud would refuse it too; asking costs a call and says less (another cloud may take it)
        Optional<String> tooLarge = scripts.stream().map(script -> UserDataLimits.exceeded(cloud.cloudName(), script))
                .flatMap(Optional::stream).findFirst();
        if (tooLarge.isPresent()) {
            return failed(cmd, region, zone, new CloudError(ErrorClass.UNSUPPORTED, BlockScope.CLOUD,
                    "UserDataTooLarge", tooLarge.get()));
        }
        tracker.expectLaunch(key, region, zone, cmd.numNodes(), clock.instant());
        masker.register(key, plainSecrets);
        LOG.infof("%s cloud=%s region=%s zone=%s launching %d node(s) of %s%s", key, cloud.cloudName(), region,
                zone, cmd.numNodes(), p.instanceType(), p.spot() ? " (spot)" : "");
        try {
            List<CloudInstance> nodes = cloud.launch(new LaunchSpec(key, p, scripts, cmd.labels()));
            ClusterState state = ClusterStateMapper.stateOf(nodes,
                    new ClusterStateMapper.History(cmd.numNodes(), false, false, 0));
            tracker.reported(key, state);
            String nodeZone = nodes.isEmpty() ? zone : nodes.get(0).zone();
            return progress(key, state, region, nodeZone, nodes, nodes.size() + "/" + cmd.numNodes() + " node(s)");
        } catch (CloudCallException e) {
            cleanUpFailedLaunch(key, region);
            return failed(cmd, region, zone, e.error());
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s cloud=%s region=%s launch failed unexpectedly", key, cloud.cloudName(), region);
            cleanUpFailedLaunch(key, region);
            return failed(cmd, region, zone, new CloudError(ErrorClass.UNKNOWN, BlockScope.ZONE,
                    e.getClass().getSimpleName(), String.valueOf(e.getMessage())));
        }
    }

    /** {@code crossjobs check} for this cloud's account, over the regions this provisioner serves. */
    public AccountChecked checkAccount(CheckAccount cmd) {
        List<AccountChecked.Finding> findings = cloud.checkAccount(config.regions());
        LOG.infof("check=%s cloud=%s: %s", cmd.checkId(), cloud.cloudName(), findings.stream()
                .map(f -> f.aspect() + (f.ok() ? " ok" : " FAILED: " + f.detail())).toList());
        return new AccountChecked(cmd.checkId(), cloud.cloudName(), clock.instant(), findings);
    }

    /**
     * Tears the cluster down. Returns nothing when the cloud kept failing even after retries: the poller asks
     * again later, so the command is not lost.
     */
    public Optional<JobEvent> terminate(TerminateCluster cmd) {
        ClusterKey key = new ClusterKey(cmd.jobId(), cmd.attempt(), cmd.clusterName());
        List<String> regions = new ArrayList<>();
        String known = cmd.region() != null ? cmd.region() : tracker.regionOf(key);
        if (known != null) regions.add(known);
        else regions.addAll(config.regions());
        int alive = 0;
        for (String region : regions) {
            tracker.expectTermination(key, region, clock.instant());
            try {
                alive += cloud.terminate(region, key);
            } catch (CloudCallException e) {
                LOG.warnf("%s cloud=%s region=%s terminate failed, will ask again: %s", key, cloud.cloudName(),
                        region, e.error());
                return Optional.empty();
            }
        }
        String region = regions.size() == 1 ? regions.get(0) : cmd.region();
        ClusterState state = alive == 0 ? ClusterState.TERMINATED : ClusterState.TERMINATING;
        LOG.infof("%s cloud=%s region=%s terminating (%s): %d node(s) were alive", key, cloud.cloudName(), region,
                cmd.reason(), alive);
        tracker.reported(key, state);
        return Optional.of(progress(key, state, region, null, List.of(), cmd.reason()));
    }

    /** A failed attempt leaves nothing behind: a partly created cluster would run, and bill, unseen. */
    private void cleanUpFailedLaunch(ClusterKey key, String region) {
        tracker.expectTermination(key, region, clock.instant());
        try {
            cloud.terminate(region, key);
        } catch (RuntimeException e) {
            LOG.warnf("%s cloud=%s region=%s cleanup after failed launch failed, will ask again: %s", key,
                    cloud.cloudName(), region, e.getMessage());
        }
    }

    private static Optional<String> invalidLaunch(LaunchCluster cmd) {
        if (cmd.placement() == null) return Optional.of("placement is missing");
        if (cmd.placement().region() == null || cmd.placement().region().isBlank()) {
            return Optional.of("placement.region is missing");
        }
        if (cmd.numNodes() < 1) return Optional.of("numNodes must be at least 1, was " + cmd.numNodes());
        if (cmd.clusterName() == null || cmd.clusterName().isBlank()) return Optional.of("clusterName is missing");
        return Optional.empty();
    }

    private LaunchFailed failed(LaunchCluster cmd, String region, String zone, CloudError error) {
        LOG.warnf("job=%s attempt=%d cloud=%s region=%s zone=%s launch failed: %s", cmd.jobId(), cmd.attempt(),
                cloud.cloudName(), region, zone, error);
        return LaunchFailed.of(cmd.jobId()).attempt(cmd.attempt()).clusterName(cmd.clusterName())
                .cloud(cloud.cloudName()).region(region).zone(zone).errorClass(error.errorClass())
                .scope(error.scope()).errorCode(error.code()).message(error.message()).at(Instant.now(clock)).build();
    }

    private ClusterProgress progress(ClusterKey key, ClusterState state, String region, String zone,
                                     List<CloudInstance> nodes, String message) {
        return ClusterProgress.of(key.jobId()).attempt(key.attempt()).clusterName(key.clusterName()).state(state)
                .cloud(cloud.cloudName()).region(region).zone(zone)
                .instanceIds(nodes.stream().map(CloudInstance::instanceId).toList()).message(message)
                .at(Instant.now(clock)).build();
    }
}

package io.crossjobs.provisioner.aws.service;

import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CloudTags;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.aws.check.AccountCheck;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.provisioner.aws.output.S3OutputStore;
import io.crossjobs.provisioner.aws.config.AwsConfig;
import io.crossjobs.provisioner.aws.store.S3ObjectStore;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.crossjobs.provisioner.model.LaunchSpec;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataTagsState;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The EC2 adapter: RunInstances of the region's image ({@link ImageResolver}) with crossjobs' tags, the root disk
 * asked and the startup script as user data, DescribeInstances filtered by tag (paginated), TerminateInstances by
 * cluster tag, each only of this provisioner's deployment ({@link DeploymentId}); nodes' output and secrets through
 * S3 ({@link S3OutputStore}); {@code crossjobs check} in {@link AccountCheck}. Calls block on the async clients; core
 * runs them on worker threads.
 */
@ApplicationScoped
public class Ec2Provisioner implements CloudProvisioner {
    private static final Logger LOG = Logger.getLogger(Ec2Provisioner.class);
    private static final List<String> NOT_GONE = List.of("pending", "running", "stopping", "stopped");

    private final AwsClients clients;
    private final ImageResolver images;
    private final AwsConfig config;
    private final S3OutputStore output;
    private final S3ObjectStore store;
    private final AccountCheck accountCheck;
    private final DeploymentId deployment;

    public Ec2Provisioner(AwsClients clients, ImageResolver images, AwsConfig config, S3OutputStore output,
                          S3ObjectStore store, AccountCheck accountCheck, DeploymentId deployment) {
        this.deployment = deployment;
        this.store = store;
        this.accountCheck = accountCheck;
        this.clients = clients;
        this.images = images;
        this.config = config;
        this.output = output;
    }

    @Override
    public String cloud() { return "aws"; }

    @Override
    public List<CloudInstance> launch(LaunchSpec spec) {
        List<CloudInstance> nodes = new ArrayList<>(describe(spec.region(), clusterFilters(spec.cluster())));
        Set<Integer> present = nodes.stream().map(CloudInstance::nodeRank).collect(Collectors.toSet());
        BootImage image = null;
        for (int rank = 0; rank < spec.numNodes(); rank++) {
            if (present.contains(rank)) continue;
            if (image == null) image = images.in(spec.region());
            Instance created = runInstance(spec, image, rank);
            LOG.infof("%s cloud=aws region=%s zone=%s node=%d is %s", spec.cluster(), spec.region(),
                    created.placement() == null ? spec.zone() : created.placement().availabilityZone(), rank,
                    created.instanceId());
            toCloudInstance(spec.region(), created).ifPresent(nodes::add);
        }
        return nodes;
    }

    /**
     * {@code spec.accelerator()} is not sent: an EC2 GPU type (g4dn, g5, p3, ...) comes with its GPUs, so the
     * instance type alone asks for them, and RunInstances has nothing to attach GPUs to another type.
     */
    private Instance runInstance(LaunchSpec spec, BootImage image, int rank) {
        ClusterKey c = spec.cluster();
        // the task's labels first, crossjobs' own tags after them (job-api refuses a label with one of their keys)
        List<Tag> tags = new ArrayList<>();
        new java.util.TreeMap<>(spec.labels()).forEach((k, v) -> tags.add(tag(k, v)));
        tags.addAll(List.of(
                tag(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE),
                tag(CloudTags.DEPLOYMENT, deployment.value()),
                tag(CloudTags.JOB_ID, c.jobId()),
                tag(CloudTags.CLUSTER, c.clusterName()),
                tag(CloudTags.ATTEMPT, Integer.toString(c.attempt())),
                tag(CloudTags.NODE_RANK, Integer.toString(rank)),
                tag(CloudTags.ROLE, c.role().tagValue()),
                tag("Name", c.clusterName() + "-" + rank)));
        RunInstancesRequest.Builder req = RunInstancesRequest.builder()
                .imageId(image.imageId())
                .instanceType(spec.instanceType() == null ? config.defaultInstanceType() : spec.instanceType())
                .minCount(1).maxCount(1)
                .clientToken(clientToken(deployment, c, rank))
                .userData(Base64.getEncoder().encodeToString(
                        spec.startupScripts().get(rank).getBytes(StandardCharsets.UTF_8)))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build())
                // the node reads the cluster's addresses from its own tags (IMDS), see nodeIpsReadCommand()
                .metadataOptions(m -> m.instanceMetadataTags(InstanceMetadataTagsState.ENABLED));
        if (spec.zone() != null && !spec.zone().isBlank()) req.placement(p -> p.availabilityZone(spec.zone()));
        if (spec.spot()) req.instanceMarketOptions(m -> m.marketType(MarketType.SPOT));
        if (spec.diskSizeGb() != null) req.blockDeviceMappings(rootVolume(image, spec.diskSizeGb()));
        return clients.ec2(spec.region()).runInstances(req.build()).join().instances().get(0);
    }

    /** The image's root volume at {@code sizeGb}, gp3, gone with the instance. */
    private static BlockDeviceMapping rootVolume(BootImage image, int sizeGb) {
        return BlockDeviceMapping.builder().deviceName(image.rootDeviceName())
                .ebs(e -> e.volumeSize(sizeGb).volumeType(VolumeType.GP3).deleteOnTermination(true)).build();
    }

    @Override
    public int terminate(String region, ClusterKey cluster) {
        List<Filter> filters = new ArrayList<>(clusterFilters(cluster));
        filters.add(Filter.builder().name("instance-state-name").values(NOT_GONE).build());
        List<String> ids = describe(region, filters).stream().map(CloudInstance::instanceId).toList();
        if (ids.isEmpty()) return 0;
        try {
            clients.ec2(region).terminateInstances(r -> r.instanceIds(ids)).join();
        } catch (CompletionException e) {
            if (!isNotFound(e)) throw e;  // gone meanwhile: what we wanted
        }
        return ids.size();
    }

    @Override
    public void writeNodeIps(String region, List<CloudInstance> nodes, String value) {
        List<String> ids = nodes.stream().map(CloudInstance::instanceId).toList();
        clients.ec2(region).createTags(r -> r.resources(ids).tags(tag(CloudTags.NODE_IPS, value))).join();
    }

    /** IMDSv2: a session token first, then the instance's own tag (RunInstances enabled tags in metadata). */
    @Override
    public String nodeIpsReadCommand() {
        return """
                crossjobs_imds="${MOCK_CLOUD_METADATA_URL:-http://169.254.169.254}"
                crossjobs_token=$(curl -sf --noproxy '*' -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "$crossjobs_imds/latest/api/token") &&
                curl -sf --noproxy '*' -H "X-aws-ec2-metadata-token: $crossjobs_token" "$crossjobs_imds/latest/meta-data/tags/instance/%s"
                """.formatted(CloudTags.NODE_IPS);
    }

    /**
     * EC2 keeps listing a terminated instance for about an hour, so with terminated ones every poll would read back
     * an hour of finished jobs. They are left out, as GCE and Azure, which delete, leave them out: a cluster that is
     * no longer listed is TERMINATED when it was asked to go and PREEMPTED otherwise (ClusterStateMapper), and a spot
     * interruption is normally seen first in shutting-down, with its reason.
     */
    @Override
    public List<CloudInstance> listManaged(String region) {
        return describe(region, List.of(tagFilter(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE), NOT_TERMINATED));
    }

    /**
     * DescribeInstances of {@code filters} and, for a named deployment, its tag: EC2 joins filters with AND. The
     * default deployment also owns instances without the tag, which no filter can ask for (a filter matches a
     * tag's value, not its absence), so what the call returns is sorted by {@link #toCloudInstance}.
     */
    private List<CloudInstance> describe(String region, List<Filter> filters) {
        if (deployment.isDefault()) return describePages(region, filters);
        List<Filter> own = new ArrayList<>(filters);
        own.add(tagFilter(CloudTags.DEPLOYMENT, deployment.value()));
        return describePages(region, own);
    }

    private static final Filter NOT_TERMINATED = Filter.builder().name("instance-state-name")
            .values("pending", "running", "shutting-down", "stopping", "stopped").build();

    @Override
    public OutputShipping outputShipping(ClusterKey cluster, String region, int rank, Duration validity) {
        return output.shipping(cluster, rank, validity);
    }

    @Override
    public NodeOutput readOutput(CloudInstance node, long offset) {
        return output.read(node, offset);
    }

    @Override
    public void deleteOutput(ClusterKey cluster) {
        output.delete(cluster);
    }

    @Override
    public CloudError classify(Throwable error) {
        return Ec2ErrorClassifier.classify(error);
    }

    /** DescribeInstances of exactly {@code filters}, following every page. */
    private List<CloudInstance> describePages(String region, List<Filter> filters) {
        List<CloudInstance> found = new ArrayList<>();
        String next = null;
        do {
            DescribeInstancesRequest req = DescribeInstancesRequest.builder().filters(filters)
                    .maxResults(config.pageSize()).nextToken(next).build();
            DescribeInstancesResponse page = clients.ec2(region).describeInstances(req).join();
            for (Reservation r : page.reservations()) {
                for (Instance i : r.instances()) toCloudInstance(region, i).ifPresent(found::add);
            }
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return found;
    }

    /**
     * Empty for an instance without crossjobs' tags (someone else's, or tagged by hand) and for another deployment's
     * (an instance without {@link CloudTags#DEPLOYMENT} is the default deployment's).
     */
    private Optional<CloudInstance> toCloudInstance(String region, Instance i) {
        Map<String, String> tags = i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
        if (!deployment.owns(tags.get(CloudTags.DEPLOYMENT))) return Optional.empty();
        String jobId = tags.get(CloudTags.JOB_ID);
        String cluster = tags.get(CloudTags.CLUSTER);
        Integer attempt = parse(tags.get(CloudTags.ATTEMPT));
        Integer rank = parse(tags.get(CloudTags.NODE_RANK));
        if (jobId == null || cluster == null || attempt == null || rank == null) {
            LOG.debugf("cloud=aws region=%s ignoring %s: crossjobs tags incomplete", region, i.instanceId());
            return Optional.empty();
        }
        String reason = Ec2StateMapper.reasonCode(i);
        return Optional.of(new CloudInstance(i.instanceId(), jobId, attempt, cluster, rank, region,
                i.placement() == null ? null : i.placement().availabilityZone(), i.instanceTypeAsString(),
                i.instanceLifecycleAsString() != null && i.instanceLifecycleAsString().equals("spot"),
                i.privateIpAddress(), Ec2StateMapper.nodeState(i), Ec2StateMapper.preempted(i),
                reason == null ? i.stateTransitionReason() : reason));
    }

    private static List<Filter> clusterFilters(ClusterKey c) {
        return List.of(tagFilter(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE),
                tagFilter(CloudTags.JOB_ID, c.jobId()),
                tagFilter(CloudTags.ATTEMPT, Integer.toString(c.attempt())),
                tagFilter(CloudTags.CLUSTER, c.clusterName()));
    }

    private static Filter tagFilter(String key, String value) {
        // EC2 filter values treat * ? and \ as wildcards: escape them so an id matches only itself
        String literal = value.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
        return Filter.builder().name("tag:" + key).values(literal).build();
    }

    /**
     * EC2's idempotency token for one rank: the same cluster and rank of one deployment always send the same token.
     * Another deployment's cluster of the same name sends another: EC2 answers a token it knows with the instance made
     * for it, or with IdempotentParameterMismatch when the other parameters differ
     * (docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html).
     */
    static String clientToken(DeploymentId deployment, ClusterKey c, int rank) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(deployment.qualify(
                    c.jobId() + "\n" + c.attempt() + "\n" + c.clusterName() + "\n" + rank)
                            .getBytes(StandardCharsets.UTF_8));
            return "cj-" + HexFormat.of().formatHex(digest, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isNotFound(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && "InvalidInstanceID.NotFound".equals(aws.awsErrorDetails().errorCode());
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static Integer parse(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public SecretDelivery secretDelivery(ClusterKey cluster, String region, int rank, String content,
                                         Duration validity) {
        return output.secretDelivery(cluster, rank, content, validity);
    }

    @Override
    public List<AccountChecked.Finding> checkAccount(List<String> regions) {
        return accountCheck.check(regions);
    }

    @Override
    public boolean ownsStorageUri(String uri) {
        return store.owns(uri);
    }

    @Override
    public String ensureStore() {
        return store.ensure();
    }

    @Override
    public SignedRequest sign(String method, String objectUri, Duration validity) {
        return store.sign(method, objectUri, validity);
    }

    @Override
    public List<StoredObject> listObjects(String prefixUri, int max) {
        return store.list(prefixUri, max);
    }

    @Override
    public int deleteStore() {
        return store.remove();
    }
}

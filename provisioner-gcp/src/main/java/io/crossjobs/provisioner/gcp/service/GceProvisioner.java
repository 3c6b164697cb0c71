package io.crossjobs.provisioner.gcp.service;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.compute.v1.AccessConfig;
import com.google.cloud.compute.v1.AggregatedListInstancesRequest;
import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.AttachedDiskInitializeParams;
import com.google.cloud.compute.v1.DeleteInstanceRequest;
import com.google.cloud.compute.v1.InsertInstanceRequest;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.InstancesScopedList;
import com.google.cloud.compute.v1.Items;
import com.google.cloud.compute.v1.ListZoneOperationsRequest;
import com.google.cloud.compute.v1.Metadata;
import com.google.cloud.compute.v1.NetworkInterface;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.Scheduling;
import com.google.cloud.compute.v1.SetMetadataInstanceRequest;
import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CloudTags;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.provisioner.gcp.config.GcpConfig;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.provisioner.service.RateBudget;
import io.crossjobs.provisioner.service.SharedListing;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Compute Engine adapter: instances.insert with crossjobs' labels and the startup script as metadata (one
 * insert per missing rank, requestId from cluster + rank, then zoneOperations.wait until DONE, because capacity
 * errors only show inside the operation), one aggregated list per region poll, instances.delete by cluster label;
 * nodes' output through Cloud Storage ({@link GcsOutputStore}), crossjobs' object store too
 * ({@link GcsObjectStore}). Calls block; core runs them on worker threads.
 *
 * <p>An instance's id in the common model is its relative resource name {@code zones/<zone>/instances/<name>}:
 * every GCE call needs zone and name, and the name is unique in a zone.
 */
@ApplicationScoped
public class GceProvisioner implements CloudProvisioner {
    private static final Logger LOG = Logger.getLogger(GceProvisioner.class);
    private static final String PREEMPTED_FILTER = "operationType = \"compute.instances.preempted\"";

    /*
     * Compute Engine's rate quotas (cloud.google.com/compute/docs/api-rate-limits): per project, per group, per
     * region for zonal calls, in one-minute windows refilled at the whole minute. The current page names no figures;
     * its earlier version gave 1,500 a minute. A budget of 25 at once and 24 a second stays under 1,500 in any
     * window (25 + 24 x 60 = 1,465).
     */
    private static final RateBudget WRITES = new RateBudget("Write requests", 25, 24);
    private static final RateBudget READS = new RateBudget("Read requests", 25, 24);
    private static final RateBudget OPERATION_READS = new RateBudget("Operation read requests", 25, 24);
    private static final RateBudget LISTS = new RateBudget("List requests", 25, 24);
    /** aggregatedList is a project-wide heavy-weight read. */
    private static final RateBudget AGGREGATED_LISTS = new RateBudget("Heavy-weight read requests", 25, 24);
    private static final String PROJECT_WIDE = "global";

    private final GceClients clients;
    private final GcpConfig config;
    private final CallPacer pacer;
    private final SharedListing<List<Map.Entry<String, Instance>>> managed;
    private final GcsOutputStore output;
    private final GcsSecretStore secrets;
    private final GcsObjectStore store;
    private final GcpAccountCheck accountCheck;
    private final DeploymentId deployment;

    public GceProvisioner(GceClients clients, GcpConfig config, CallPacer pacer, GcsOutputStore output,
                          GcsSecretStore secrets, GcsObjectStore store, GcpAccountCheck accountCheck,
                          DeploymentId deployment) {
        this.deployment = deployment;
        this.clients = clients;
        this.secrets = secrets;
        this.store = store;
        this.accountCheck = accountCheck;
        this.output = output;
        this.config = config;
        this.pacer = pacer;
        this.managed = new SharedListing<>(SharedListing.POLL_BURST);
    }

    /** Waits for a slot of {@code budget} in {@code region}, or fails the call as throttled. */
    private void pace(String region, RateBudget budget) {
        pacer.acquire(region, budget, config.callTimeout());
    }

    @Override
    public String cloud() { return "gcp"; }

    @Override
    public List<CloudInstance> launch(LaunchSpec spec) {
        ClusterKey c = spec.cluster();
        List<CloudInstance> nodes = new ArrayList<>(clusterInstances(spec.region(), c));
        Set<Integer> present = nodes.stream().map(CloudInstance::nodeRank).collect(Collectors.toSet());
        String zone = spec.zone() != null && !spec.zone().isBlank() ? spec.zone() : zonesOf(spec.region()).get(0);
        Map<Integer, Operation> inserts = new LinkedHashMap<>();
        for (int rank = 0; rank < spec.numNodes(); rank++) {
            if (present.contains(rank)) continue;
            try {
                pace(spec.region(), WRITES);
                inserts.put(rank, clients.instances().insertCallable().call(insertRequest(spec, zone, rank)));
            } catch (ApiException e) {
                // gax reports HTTP 409 as ABORTED; GCE's reason says the name is taken: made by an earlier
                // delivery whose requestId GCE no longer remembers
                if (!"alreadyExists".equals(GceErrorClassifier.reasonOf(e))) throw e;
                inserts.put(rank, null);
            }
        }
        for (Map.Entry<Integer, Operation> insert : inserts.entrySet()) {
            if (insert.getValue() != null) awaitDone(zone, insert.getValue());
            String name = GceLabels.instanceName(deployment, c, insert.getKey());
            pace(spec.region(), READS);
            Instance created = clients.instances().get(config.project(), zone, name);
            LOG.infof("%s cloud=gcp region=%s zone=%s node=%d is %s", c, spec.region(), zone, insert.getKey(), name);
            toCloudInstance(spec.region(), created, Set.of()).ifPresent(nodes::add);
        }
        return nodes;
    }

    private InsertInstanceRequest insertRequest(LaunchSpec spec, String zone, int rank) {
        ClusterKey c = spec.cluster();
        String machineType = spec.instanceType() == null ? config.defaultMachineType() : spec.instanceType();
        Metadata.Builder metadata = Metadata.newBuilder()
                .addItems(item("startup-script", spec.startupScripts().get(rank)))
                // exact values: labels hold them folded to GCE's label alphabet
                .addItems(item(CloudTags.JOB_ID, c.jobId()))
                .addItems(item(CloudTags.CLUSTER, c.clusterName()));
        Instance instance = Instance.newBuilder()
                .setName(GceLabels.instanceName(deployment, c, rank))
                .setMachineType("zones/" + zone + "/machineTypes/" + machineType)
                // the task's labels, then crossjobs' own (job-api refuses a label with one of their keys)
                .putAllLabels(spec.labels())
                .putAllLabels(GceLabels.of(deployment, c, rank))
                .setMetadata(metadata)
                .setScheduling(scheduling(spec.spot(), GceAccelerators.hasGpus(machineType, spec.accelerator())))
                .addAllGuestAccelerators(GceAccelerators.guestAccelerators(zone, machineType, spec.accelerator()))
                .addDisks(bootDisk(zone, spec.diskSizeGb()))
                .addNetworkInterfaces(NetworkInterface.newBuilder().setNetwork("global/networks/" + config.network())
                        .addAccessConfigs(AccessConfig.newBuilder().setName("External NAT").setType("ONE_TO_ONE_NAT")))
                .build();
        return InsertInstanceRequest.newBuilder().setProject(config.project()).setZone(zone)
                .setRequestId(GceLabels.requestId(deployment, c, rank, zone)).setInstanceResource(instance).build();
    }

    /**
     * A spot VM is deleted when GCE preempts it (instanceTerminationAction DELETE): GCE's default, STOP, would keep
     * it TERMINATED with its boot disk billed. A VM with GPUs cannot live-migrate, so it terminates on host
     * maintenance (GCE refuses it otherwise); it does not restart either, as a restart would run the startup
     * script again while the controller already recovers the job elsewhere. Spot VMs terminate and never restart
     * anyway.
     */
    static Scheduling scheduling(boolean spot, boolean gpus) {
        Scheduling.Builder scheduling = Scheduling.newBuilder();
        if (spot) scheduling.setProvisioningModel("SPOT").setInstanceTerminationAction("DELETE");
        if (spot || gpus) scheduling.setOnHostMaintenance("TERMINATE").setAutomaticRestart(false);
        return scheduling.build();
    }

    /** The boot disk: the configured image on the configured type, of the placement's size (null: the image's). */
    private AttachedDisk bootDisk(String zone, Integer sizeGb) {
        AttachedDiskInitializeParams.Builder params = AttachedDiskInitializeParams.newBuilder()
                .setSourceImage(config.sourceImage()).setDiskType("zones/" + zone + "/diskTypes/" + config.diskType());
        if (sizeGb != null) params.setDiskSizeGb(sizeGb);
        return AttachedDisk.newBuilder().setBoot(true).setAutoDelete(true).setInitializeParams(params).build();
    }

    /** zoneOperations.wait returns within two minutes even when not DONE: ask again until the launch deadline. */
    private void awaitDone(String zone, Operation op) {
        long deadline = System.nanoTime() + config.operationTimeout().toNanos();
        while (op.getStatus() != Operation.Status.DONE) {
            if (System.nanoTime() > deadline) {
                throw new GceOperationException("OPERATION_TIMEOUT", op.getName() + " not done after "
                        + config.operationTimeout(), 504);
            }
            pace(regionOf(zone), OPERATION_READS);
            op = clients.operations().wait(config.project(), zone, op.getName());
        }
        if (op.hasError() && op.getError().getErrorsCount() > 0) {
            var first = op.getError().getErrors(0);
            throw new GceOperationException(first.getCode(), first.getMessage(), op.getHttpErrorStatusCode());
        }
    }

    /**
     * Deletes every instance of the cluster that still exists, whatever its status: a stopped (TERMINATED)
     * instance runs nothing but still bills its disk. Returns how many of them were alive.
     */
    @Override
    public int terminate(String region, ClusterKey cluster) {
        int alive = 0;
        for (CloudInstance node : clusterInstances(region, cluster)) {
            Ref ref = Ref.of(node.instanceId());
            try {
                pace(region, WRITES);
                clients.instances().deleteCallable().call(DeleteInstanceRequest.newBuilder()
                        .setProject(config.project()).setZone(ref.zone()).setInstance(ref.name()).build());
                if (node.state().alive()) alive++;
            } catch (NotFoundException e) {
                // gone meanwhile: what we wanted
            } catch (ApiException e) {
                // an instance already on its way out (GCE deleting it after a preemption) may not take another
                // delete yet; it goes without one
                if (node.state().alive() || !"resourceNotReady".equals(GceErrorClassifier.reasonOf(e))) throw e;
            }
        }
        return alive;
    }

    /**
     * instances.setMetadata per node: items are replaced as a whole and guarded by the metadata fingerprint, so
     * the current items are read first and kept (startup-script, exact ids). A concurrent change fails the call
     * with 412; core tries again on the next poll.
     */
    @Override
    public void writeNodeIps(String region, List<CloudInstance> nodes, String value) {
        for (CloudInstance node : nodes) {
            Ref ref = Ref.of(node.instanceId());
            pace(region, READS);
            Metadata current = clients.instances().get(config.project(), ref.zone(), ref.name()).getMetadata();
            boolean written = current.getItemsList().stream()
                    .anyMatch(i -> i.getKey().equals(CloudTags.NODE_IPS) && i.getValue().equals(value));
            if (written) continue;
            Metadata.Builder next = Metadata.newBuilder().setFingerprint(current.getFingerprint());
            current.getItemsList().stream().filter(i -> !i.getKey().equals(CloudTags.NODE_IPS)).forEach(next::addItems);
            next.addItems(item(CloudTags.NODE_IPS, value));
            pace(region, WRITES);
            Operation op = clients.instances().setMetadataCallable().call(SetMetadataInstanceRequest.newBuilder()
                    .setProject(config.project()).setZone(ref.zone()).setInstance(ref.name())
                    .setMetadataResource(next).build());
            awaitDone(ref.zone(), op);
        }
    }

    @Override
    public String nodeIpsReadCommand() {
        return "curl -sf --noproxy '*' -H 'Metadata-Flavor: Google' \"${MOCK_CLOUD_METADATA_URL:-http://metadata.google.internal}"
                + "/computeMetadata/v1/instance/attributes/" + CloudTags.NODE_IPS + "\"";
    }

    @Override
    public List<CloudInstance> listManaged(String region) {
        return nodesIn(region, managed.get(() -> aggregatedList(Map.of(CloudTags.MANAGED_BY,
                CloudTags.MANAGED_BY_VALUE))));
    }

    /** A signed upload policy for the node's chunks in the project's output bucket (made on first use). */
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
        return GceErrorClassifier.classify(error);
    }

    private List<CloudInstance> clusterInstances(String region, ClusterKey c) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE);
        labels.putAll(GceLabels.clusterLabels(c));
        // folded label values may match another cluster: keep only the exact one
        return aggregated(region, labels).stream().filter(n -> n.cluster().equals(c)).toList();
    }

    /**
     * One aggregated list (all zones, paginated) per call rather than one list per zone: a region has three or
     * four zones, and the aggregated list answers them in one request. Scopes of other regions are dropped.
     */
    private List<CloudInstance> aggregated(String region, Map<String, String> labels) {
        return nodesIn(region, aggregatedList(labels));
    }

    /**
     * Every instance with {@code labels} in the project, each with its zone; for a named deployment, only those
     * labelled with it (one more {@code labels.KEY = "VALUE"} term, which GCE joins with AND). The default deployment
     * also owns instances without the label: {@link #nodesIn} keeps only this deployment's.
     */
    private List<Map.Entry<String, Instance>> aggregatedList(Map<String, String> labels) {
        Map<String, String> own = new LinkedHashMap<>(labels);
        if (!deployment.isDefault()) own.put(CloudTags.DEPLOYMENT, deployment.value());
        AggregatedListInstancesRequest req = AggregatedListInstancesRequest.newBuilder().setProject(config.project())
                .setFilter(GceLabels.filter(own)).setMaxResults(config.pageSize()).build();
        pace(PROJECT_WIDE, AGGREGATED_LISTS);
        List<Map.Entry<String, Instance>> found = new ArrayList<>();
        for (Map.Entry<String, InstancesScopedList> scope : clients.instances().aggregatedList(req).iterateAll()) {
            String zone = scope.getKey().substring(scope.getKey().lastIndexOf('/') + 1);
            scope.getValue().getInstancesList().forEach(i -> found.add(Map.entry(zone, i)));
        }
        return found;
    }

    private List<CloudInstance> nodesIn(String region, List<Map.Entry<String, Instance>> listed) {
        List<Instance> found = listed.stream().filter(e -> regionOf(e.getKey()).equals(region))
                .map(Map.Entry::getValue)
                .filter(i -> deployment.owns(i.getLabelsMap().get(CloudTags.DEPLOYMENT))).toList();
        Set<String> preempted = preemptedIds(found);
        List<CloudInstance> nodes = new ArrayList<>(found.size());
        for (Instance i : found) toCloudInstance(region, i, preempted).ifPresent(nodes::add);
        return nodes;
    }

    /**
     * GCE's instance does not say why it stopped; the zone's {@code compute.instances.preempted} system event does.
     * Looked up only for leaving spot instances, so a quiet poll stays one list call.
     */
    private Set<String> preemptedIds(List<Instance> instances) {
        Set<String> zones = instances.stream().filter(GceStateMapper::mayBePreempted)
                .map(i -> lastSegment(i.getZone())).collect(Collectors.toSet());
        Set<String> ids = new HashSet<>();
        for (String zone : zones) {
            ListZoneOperationsRequest req = ListZoneOperationsRequest.newBuilder().setProject(config.project())
                    .setZone(zone).setFilter(PREEMPTED_FILTER).build();
            pace(regionOf(zone), LISTS);
            for (Operation op : clients.operations().list(req).iterateAll()) ids.add(Long.toUnsignedString(op.getTargetId()));
        }
        return ids;
    }

    /** Empty for an instance without crossjobs' labels (someone else's, or labelled by hand). */
    private static Optional<CloudInstance> toCloudInstance(String region, Instance i, Set<String> preempted) {
        Map<String, String> labels = i.getLabelsMap();
        Map<String, String> meta = i.getMetadata().getItemsList().stream()
                .collect(Collectors.toMap(Items::getKey, Items::getValue, (a, b) -> a));
        String jobId = meta.getOrDefault(CloudTags.JOB_ID, labels.get(CloudTags.JOB_ID));
        String cluster = meta.getOrDefault(CloudTags.CLUSTER, labels.get(CloudTags.CLUSTER));
        Integer attempt = parse(labels.get(CloudTags.ATTEMPT));
        Integer rank = parse(labels.get(CloudTags.NODE_RANK));
        String zone = lastSegment(i.getZone());
        if (jobId == null || cluster == null || attempt == null || rank == null) {
            LOG.debugf("cloud=gcp region=%s ignoring %s: crossjobs labels incomplete", region, i.getName());
            return Optional.empty();
        }
        boolean wasPreempted = preempted.contains(Long.toUnsignedString(i.getId()));
        String ip = i.getNetworkInterfacesCount() == 0 ? null : i.getNetworkInterfaces(0).getNetworkIP();
        return Optional.of(new CloudInstance(Ref.id(zone, i.getName()), jobId, attempt, cluster, rank, region, zone,
                lastSegment(i.getMachineType()), GceStateMapper.spot(i), ip == null || ip.isEmpty() ? null : ip,
                GceStateMapper.nodeState(i), wasPreempted,
                wasPreempted ? "compute.instances.preempted" : i.getStatus()));
    }

    private List<String> zonesOf(String region) {
        List<String> zones = config.zones().get(region);
        return zones == null || zones.isEmpty() ? List.of(region + "-a") : zones;
    }

    private static Items item(String key, String value) {
        return Items.newBuilder().setKey(key).setValue(value).build();
    }

    static String regionOf(String zone) {
        int dash = zone.lastIndexOf('-');
        return dash < 0 ? zone : zone.substring(0, dash);
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static Integer parse(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An instance's id in the common model: {@code zones/<zone>/instances/<name>}. */
    record Ref(String zone, String name) {
        static String id(String zone, String name) {
            return "zones/" + zone + "/instances/" + name;
        }

        static Ref of(String id) {
            String[] p = id.split("/");
            if (p.length != 4 || !p[0].equals("zones") || !p[2].equals("instances")) {
                throw new IllegalArgumentException("not a GCE instance id (zones/<zone>/instances/<name>): " + id);
            }
            return new Ref(p[1], p[3]);
        }
    }

    /** The node's secrets as a private object beside its output, fetched and deleted through signed URLs. */
    @Override
    public SecretDelivery secretDelivery(ClusterKey cluster, String region, int rank, String content,
                                         Duration validity) {
        return secrets.deliver(cluster, rank, content, validity);
    }

    @Override
    public List<AccountChecked.Finding> checkAccount(List<String> regions) {
        return accountCheck.check(regions);
    }

    // the object store (GcsObjectStore): crossjobs' bucket, V4 signed URLs, listings
    @Override
    public boolean ownsStorageUri(String uri) {
        return GcsObjectStore.owns(uri);
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
        return store.delete();
    }
}

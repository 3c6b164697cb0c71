package io.crossjobs.provisioner.azure.service;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.SubResource;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.polling.PollResult;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.BillingProfile;
import com.azure.resourcemanager.compute.models.BootDiagnostics;
import com.azure.resourcemanager.compute.models.DeleteOptions;
import com.azure.resourcemanager.compute.models.DiagnosticsProfile;
import com.azure.resourcemanager.compute.models.DiskCreateOptionTypes;
import com.azure.resourcemanager.compute.models.DiskDeleteOptionTypes;
import com.azure.resourcemanager.compute.models.HardwareProfile;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.LinuxConfiguration;
import com.azure.resourcemanager.compute.models.ManagedDiskParameters;
import com.azure.resourcemanager.compute.models.NetworkApiVersion;
import com.azure.resourcemanager.compute.models.NetworkProfile;
import com.azure.resourcemanager.compute.models.OSDisk;
import com.azure.resourcemanager.compute.models.OSProfile;
import com.azure.resourcemanager.compute.models.SshConfiguration;
import com.azure.resourcemanager.compute.models.SshPublicKey;
import com.azure.resourcemanager.compute.models.StorageAccountTypes;
import com.azure.resourcemanager.compute.models.StorageProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineEvictionPolicyTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineNetworkInterfaceConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineNetworkInterfaceIpConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineUpdateInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CloudTags;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.OutputShipping;
import io.crossjobs.events.SecretDelivery;
import io.crossjobs.events.SignedRequest;
import io.crossjobs.events.StoredObject;
import io.crossjobs.provisioner.CloudProvisioner;
import io.crossjobs.provisioner.azure.config.AzureConfig;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.CloudInstance;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.NodeOutput;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.provisioner.model.NodeState;
import io.crossjobs.provisioner.service.SharedListing;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Azure adapter: one PUT per missing rank (VM with an inline NIC configuration, so the NIC lives and dies with
 * the VM) in the region's subnet ({@link AzureNetworks}: crossjobs' VNet per region, made on first use), tags as
 * the only database, one subscription-wide list with run-time status per poll filtered to the resource group,
 * region and tags (this provisioner's deployment's only, {@link DeploymentId}) client-side, DELETE by cluster tag; nodes' output through an append blob each in Blob Storage,
 * and crossjobs' object store in the same storage account ({@link AzureObjectStore}).
 * Calls block (the SDK's sync client); core runs them on worker threads.
 */
@ApplicationScoped
public class AzureProvisioner implements CloudProvisioner {
    private static final Logger LOG = Logger.getLogger(AzureProvisioner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NETWORK_API_VERSION = "2024-05-01";

    private final AzureClients clients;
    private final AzureConfig config;
    private final AzureNetworks networks;
    private final String sshPublicKey;
    private final SharedListing<List<VirtualMachineInner>> subscriptionVms =
            new SharedListing<>(SharedListing.POLL_BURST);
    private final AzureOutputStore output;
    private final AzureObjectStore objects;
    private final AzureAccountCheck accountCheck;
    private final DeploymentId deployment;

    public AzureProvisioner(AzureClients clients, AzureConfig config, DeploymentId deployment) {
        this.deployment = deployment;
        this.clients = clients;
        this.config = config;
        this.networks = new AzureNetworks(clients, config);
        AzureConfig.Storage storage = config.storage();
        if (storage.storeContainer().equals(storage.container())) {
            throw new IllegalStateException("crossjobs.azure.storage.store-container must not be the output container "
                    + storage.container() + ": removing the store deletes its container");
        }
        BlobAccount account = new BlobAccount(storage, clients.http());
        this.output = new AzureOutputStore(account, storage.container(), config.callTimeout(), deployment);
        this.objects = new AzureObjectStore(account, storage.storeContainer(), config.callTimeout());
        this.sshPublicKey = config.sshPublicKey().orElseGet(SshKeys::throwaway);
        this.accountCheck = new AzureAccountCheck(clients.account(), output, config);
    }

    @Override
    public String cloud() { return "azure"; }

    @Override
    public List<CloudInstance> launch(LaunchSpec spec) {
        ClusterKey c = spec.cluster();
        List<CloudInstance> nodes = new ArrayList<>();
        Set<Integer> present = new HashSet<>();
        for (VirtualMachineInner vm : clusterVms(spec.region(), c)) {
            // a Failed VM (allocation failed) is put again: ARM retries the create of an existing name
            if (AzureStateMapper.failed(vm)) continue;
            toCloudInstance(spec.region(), vm).ifPresent(n -> {
                nodes.add(n);
                present.add(n.nodeRank());
            });
        }
        Map<Integer, SyncPoller<PollResult<VirtualMachineInner>, VirtualMachineInner>> creating = new LinkedHashMap<>();
        for (int rank = 0; rank < spec.numNodes(); rank++) {
            if (present.contains(rank)) continue;
            creating.put(rank, beginCreate(spec, rank));
        }
        for (Map.Entry<Integer, SyncPoller<PollResult<VirtualMachineInner>, VirtualMachineInner>> e : creating.entrySet()) {
            NodeState state = awaitCreated(e.getValue());
            LOG.infof("%s cloud=azure region=%s zone=%s node=%d is %s (%s)", c, spec.region(), spec.zone(),
                    e.getKey(), vmName(deployment, c, e.getKey()), state);
            // the state as the create operation left it: listing again could already miss an evicted VM
            nodes.add(new CloudInstance(vmName(deployment, c, e.getKey()), c.jobId(), c.attempt(), c.clusterName(),
                    e.getKey(),
                    spec.region(), spec.zone(), spec.instanceType() == null ? config.defaultVmSize() : spec.instanceType(),
                    spec.spot(), null, state, false, state == NodeState.RUNNING ? "Succeeded/running" : "Creating"));
        }
        return nodes;
    }

    /**
     * PUTs one rank's VM. When Azure no longer finds crossjobs' own subnet (the VNet was deleted, or mock-cloud
     * restarted, since this process saw it), the region's network is made again and the PUT sent once more.
     */
    private SyncPoller<PollResult<VirtualMachineInner>, VirtualMachineInner> beginCreate(LaunchSpec spec, int rank) {
        try {
            return clients.virtualMachines().beginCreateOrUpdate(config.resourceGroup(),
                    vmName(deployment, spec.cluster(), rank),
                    model(spec, rank, networks.subnetId(spec.region())));
        } catch (ManagementException e) {
            boolean subnetGone = e.getValue() != null && "InvalidResourceReference".equals(e.getValue().getCode());
            if (!subnetGone || !networks.managed()) throw e;
            networks.forget(spec.region());
            return clients.virtualMachines().beginCreateOrUpdate(config.resourceGroup(),
                    vmName(deployment, spec.cluster(), rank),
                    model(spec, rank, networks.subnetId(spec.region())));
        }
    }

    /**
     * Waits for a create operation. Azure finishes it once the VM runs; an allocation failure exists only in the
     * operation, so its status is what is checked.
     */
    private NodeState awaitCreated(SyncPoller<PollResult<VirtualMachineInner>, VirtualMachineInner> poller) {
        PollResponse<PollResult<VirtualMachineInner>> last;
        try {
            last = poller.waitForCompletion(config.operationTimeout());
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) throw e;
            return NodeState.PROVISIONING;    // still creating: the poller follows it
        }
        if (last.getStatus() == LongRunningOperationStatus.FAILED) throw ArmOperationFailedException.of(last);
        return last.getStatus() == LongRunningOperationStatus.SUCCESSFULLY_COMPLETED ? NodeState.RUNNING
                : NodeState.PROVISIONING;
    }

    @Override
    public int terminate(String region, ClusterKey cluster) {
        int asked = 0;
        for (VirtualMachineInner vm : clusterVms(region, cluster)) {
            if ("deleting".equalsIgnoreCase(vm.provisioningState())) continue;
            try {
                // the deletion goes on in Azure; the poller sees it through
                clients.virtualMachines().beginDelete(config.resourceGroup(), vm.name(), null, Context.NONE);
                asked++;
            } catch (ManagementException e) {
                if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) throw e;  // gone: fine
            }
        }
        return asked;
    }

    /**
     * virtualMachines.update (PATCH) per node: a PATCH replaces the tag set whole, so the VM's current tags are
     * read first and kept. Azure's metadata service shows tags to the VM (compute/tagsList).
     */
    @Override
    public void writeNodeIps(String region, List<CloudInstance> nodes, String value) {
        for (CloudInstance node : nodes) {
            VirtualMachineInner vm = clients.virtualMachines().getByResourceGroup(config.resourceGroup(),
                    node.instanceId());
            Map<String, String> tags = new LinkedHashMap<>(tags(vm));
            if (value.equals(tags.get(CloudTags.NODE_IPS))) continue;
            tags.put(CloudTags.NODE_IPS, value);
            clients.virtualMachines().update(config.resourceGroup(), node.instanceId(),
                    new VirtualMachineUpdateInner().withTags(tags));
        }
    }

    /** Azure IMDS answers JSON; without jq on the image, the one value is cut out of the compact array. */
    @Override
    public String nodeIpsReadCommand() {
        return """
                curl -sf --noproxy '*' -H 'Metadata: true' "${MOCK_CLOUD_METADATA_URL:-http://169.254.169.254}/metadata/instance/compute/tagsList?api-version=2021-02-01" |
                  tr -d '\n' | grep -o '"name": *"%s", *"value": *"[^"]*"' | sed 's/.*"value": *"//; s/"$//'
                """.formatted(CloudTags.NODE_IPS);
    }

    @Override
    public List<CloudInstance> listManaged(String region) {
        // the subscription-wide list answers for every region: one call per poll, shared by its regions
        List<VirtualMachineInner> vms = managedVms(region, subscriptionVms.get(this::subscriptionList));
        // a VM's private IP lives on its NIC: read them (one more list call) only while a multi-node cluster runs
        boolean multiNode = vms.stream().anyMatch(vm -> {
            Integer rank = parse(tags(vm).get(CloudTags.NODE_RANK));
            return rank != null && rank > 0;
        });
        Map<String, String> ips = multiNode ? privateIpsByVm() : Map.of();
        return vms.stream().map(vm -> toCloudInstance(region, vm,
                vm.id() == null ? null : ips.get(vm.id().toLowerCase(Locale.ROOT)))).flatMap(Optional::stream).toList();
    }

    /** networkInterfaces.list of the resource group: VM id (lower case) → the primary private IP. */
    private Map<String, String> privateIpsByVm() {
        Map<String, String> ips = new HashMap<>();
        String next = clients.armEndpoint().replaceAll("/+$", "") + "/subscriptions/" + config.subscriptionId()
                + "/resourceGroups/" + config.resourceGroup()
                + "/providers/Microsoft.Network/networkInterfaces?api-version=" + NETWORK_API_VERSION;
        while (next != null && !next.isBlank()) {
            JsonNode page;
            try (HttpResponse response = clients.armPipeline().sendSync(new HttpRequest(HttpMethod.GET, next),
                    Context.NONE)) {
                if (response.getStatusCode() != 200) {
                    throw new com.azure.core.exception.HttpResponseException(
                            "networkInterfaces.list answered " + response.getStatusCode(), response);
                }
                page = JSON.readTree(response.getBodyAsBinaryData().toBytes());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (JsonNode nic : page.path("value")) {
                String vm = nic.at("/properties/virtualMachine/id").asText("");
                for (JsonNode ip : nic.at("/properties/ipConfigurations")) {
                    String address = ip.at("/properties/privateIPAddress").asText("");
                    if (vm.isEmpty() || address.isEmpty()) continue;
                    if (ip.at("/properties/primary").asBoolean(true)) ips.put(vm.toLowerCase(Locale.ROOT), address);
                }
            }
            next = page.path("nextLink").asText(null);
        }
        return ips;
    }

    /** The node's add-only upload into its own append blob (see {@link AzureOutputStore}); the region plays no part. */
    @Override
    public OutputShipping outputShipping(ClusterKey cluster, String region, int rank, Duration validity) {
        return output.shipping(cluster, rank, validity);
    }

    @Override
    public NodeOutput readOutput(CloudInstance node, long offset) {
        return output.read(node.cluster(), node.nodeRank(), offset);
    }

    @Override
    public void deleteOutput(ClusterKey cluster) {
        output.delete(cluster);
    }

    @Override
    public CloudError classify(Throwable error) {
        return AzureErrorClassifier.classify(error);
    }

    // ---------------------------------------------------------------- listing

    /**
     * One paginated call per poll. ARM allows the instance view on a resource-group list only together with a
     * scale-set filter, so the subscription list with {@code statusOnly=true} is used: it carries every VM's
     * run-time status, and its {@code $filter} takes nothing but a scale set's id
     * (learn.microsoft.com/javascript/api/@azure/arm-compute/virtualmachineslistalloptionalparams). Resource group,
     * region and tags, this deployment's included, are filtered here.
     */
    private List<VirtualMachineInner> managedVms(String region) {
        return managedVms(region, subscriptionList());
    }

    private List<VirtualMachineInner> subscriptionList() {
        List<VirtualMachineInner> all = new ArrayList<>();
        clients.virtualMachines().list("true", null, null, Context.NONE).forEach(all::add);
        return all;
    }

    private List<VirtualMachineInner> managedVms(String region, List<VirtualMachineInner> subscription) {
        String rgSegment = "/resourcegroups/" + config.resourceGroup().toLowerCase(Locale.ROOT) + "/";
        List<VirtualMachineInner> found = new ArrayList<>();
        for (VirtualMachineInner vm : subscription) {
            if (vm.id() == null || !vm.id().toLowerCase(Locale.ROOT).contains(rgSegment)) continue;
            if (!region.equalsIgnoreCase(vm.location())) continue;
            if (!CloudTags.MANAGED_BY_VALUE.equals(tags(vm).get(CloudTags.MANAGED_BY))) continue;
            if (!deployment.owns(tags(vm).get(CloudTags.DEPLOYMENT))) continue;
            found.add(vm);
        }
        return found;
    }

    private List<VirtualMachineInner> clusterVms(String region, ClusterKey c) {
        return managedVms(region).stream().filter(vm -> {
            Map<String, String> t = tags(vm);
            return c.jobId().equals(t.get(CloudTags.JOB_ID)) && c.clusterName().equals(t.get(CloudTags.CLUSTER))
                    && Integer.toString(c.attempt()).equals(t.get(CloudTags.ATTEMPT));
        }).toList();
    }

    /** Empty for a VM without crossjobs' tags (someone else's, or tagged by hand). */
    private static Optional<CloudInstance> toCloudInstance(String region, VirtualMachineInner vm) {
        return toCloudInstance(region, vm, null);
    }

    private static Optional<CloudInstance> toCloudInstance(String region, VirtualMachineInner vm, String privateIp) {
        Map<String, String> t = tags(vm);
        String jobId = t.get(CloudTags.JOB_ID);
        String cluster = t.get(CloudTags.CLUSTER);
        Integer attempt = parse(t.get(CloudTags.ATTEMPT));
        Integer rank = parse(t.get(CloudTags.NODE_RANK));
        if (jobId == null || cluster == null || attempt == null || rank == null) {
            LOG.debugf("cloud=azure region=%s ignoring %s: crossjobs tags incomplete", region, vm.name());
            return Optional.empty();
        }
        String zone = vm.zones() == null || vm.zones().isEmpty() ? null : vm.zones().get(0);
        String size = vm.hardwareProfile() == null || vm.hardwareProfile().vmSize() == null ? null
                : vm.hardwareProfile().vmSize().toString();
        return Optional.of(new CloudInstance(vm.name(), jobId, attempt, cluster, rank, region, zone, size,
                AzureStateMapper.isSpot(vm), privateIp, AzureStateMapper.nodeState(vm), AzureStateMapper.preempted(vm),
                AzureStateMapper.describe(vm)));
    }

    // ---------------------------------------------------------------- the VM model

    /**
     * The VM of one rank. {@code spec.accelerator()} is not sent: on Azure the GPUs come with the size (NC*, ND*),
     * and a VM PUT has no field to attach accelerators to.
     */
    private VirtualMachineInner model(LaunchSpec spec, int rank, String subnet) {
        ClusterKey c = spec.cluster();
        String name = vmName(deployment, c, rank);
        // the task's labels, then crossjobs' own tags (job-api refuses a label with one of their names)
        Map<String, String> tags = new LinkedHashMap<>(new TreeMap<>(spec.labels()));
        tags.put(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE);
        tags.put(CloudTags.DEPLOYMENT, deployment.value());
        tags.put(CloudTags.JOB_ID, c.jobId());
        tags.put(CloudTags.CLUSTER, c.clusterName());
        tags.put(CloudTags.ATTEMPT, Integer.toString(c.attempt()));
        tags.put(CloudTags.NODE_RANK, Integer.toString(rank));
        tags.put(CloudTags.ROLE, c.role().tagValue());
        String[] image = config.image().split(":", 4);
        if (image.length != 4) throw new IllegalStateException("crossjobs.azure.image must be publisher:offer:sku:version");
        LinuxConfiguration linux = new LinuxConfiguration().withDisablePasswordAuthentication(true)
                .withSsh(new SshConfiguration().withPublicKeys(List.of(new SshPublicKey()
                        .withPath("/home/" + config.adminUsername() + "/.ssh/authorized_keys").withKeyData(sshPublicKey))));
        OSDisk osDisk = new OSDisk().withCreateOption(DiskCreateOptionTypes.FROM_IMAGE)
                .withDeleteOption(DiskDeleteOptionTypes.DELETE)
                .withManagedDisk(new ManagedDiskParameters().withStorageAccountType(
                        StorageAccountTypes.fromString(config.osDiskType())));
        // null keeps the image's own size (30 GB for Ubuntu); Azure refuses a size below the image's
        if (spec.diskSizeGb() != null) osDisk.withDiskSizeGB(spec.diskSizeGb());

        VirtualMachineInner vm = new VirtualMachineInner()
                .withLocation(spec.region())
                .withTags(tags)
                .withHardwareProfile(new HardwareProfile().withVmSize(VirtualMachineSizeTypes.fromString(
                        spec.instanceType() == null ? config.defaultVmSize() : spec.instanceType())))
                .withStorageProfile(new StorageProfile()
                        .withImageReference(new ImageReference().withPublisher(image[0]).withOffer(image[1])
                                .withSku(image[2]).withVersion(image[3]))
                        .withOsDisk(osDisk))
                .withOsProfile(new OSProfile().withComputerName(name).withAdminUsername(config.adminUsername())
                        .withCustomData(Base64.getEncoder().encodeToString(
                                spec.startupScripts().get(rank).getBytes(StandardCharsets.UTF_8)))
                        .withLinuxConfiguration(linux))
                // NIC, IP configuration and disk live and die with the VM: nothing is left after a delete
                .withNetworkProfile(new NetworkProfile().withNetworkApiVersion(NetworkApiVersion.TWO_ZERO_TWO_ZERO_ONE_ONE_ZERO_ONE)
                        .withNetworkInterfaceConfigurations(List.of(new VirtualMachineNetworkInterfaceConfiguration()
                                .withName(name + "-nic").withPrimary(true).withDeleteOption(DeleteOptions.DELETE)
                                .withIpConfigurations(List.of(new VirtualMachineNetworkInterfaceIpConfiguration()
                                        .withName("ipconfig").withSubnet(new SubResource().withId(subnet)))))))
                // managed boot diagnostics: the serial console for people debugging a VM (crossjobs reads none)
                .withDiagnosticsProfile(new DiagnosticsProfile().withBootDiagnostics(new BootDiagnostics().withEnabled(true)));
        if (spec.zone() != null && !spec.zone().isBlank()) vm.withZones(List.of(spec.zone()));
        if (spec.spot()) {
            vm.withPriority(VirtualMachinePriorityTypes.SPOT)
                    .withEvictionPolicy(VirtualMachineEvictionPolicyTypes.fromString(config.spotEvictionPolicy()))
                    .withBillingProfile(new BillingProfile().withMaxPrice(-1.0));   // pay up to on-demand
        }
        return vm;
    }

    /**
     * The VM name of one rank; ARM's PUT by name is the idempotency key, and names are unique in the resource group,
     * so a deployment other than the default one puts its id in the name (the default's names are as they were
     * before deployments had ids: a replayed launch finds its VM).
     */
    static String vmName(DeploymentId deployment, ClusterKey c, int rank) {
        return c.clusterName() + (deployment.isDefault() ? "" : "-" + deployment.value()) + "-" + rank;
    }

    private static Map<String, String> tags(VirtualMachineInner vm) {
        return vm.tags() == null ? Map.of() : vm.tags();
    }

    private static Integer parse(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A block blob beside the node's append blob, fetched and deleted through its read/delete SAS (AzureOutputStore). */
    @Override
    public SecretDelivery secretDelivery(ClusterKey cluster, String region, int rank, String content,
                                         Duration validity) {
        return output.secrets(cluster, rank, content, validity);
    }

    @Override
    public List<AccountChecked.Finding> checkAccount(List<String> regions) {
        return accountCheck.check(regions);
    }

    /** True only for the configured storage account: the provisioner holds no other account's key. */
    @Override
    public boolean ownsStorageUri(String uri) {
        return objects.owns(uri);
    }

    @Override
    public String ensureStore() {
        return objects.ensureStore();
    }

    @Override
    public SignedRequest sign(String method, String objectUri, Duration validity) {
        return objects.sign(method, objectUri, validity);
    }

    @Override
    public List<StoredObject> listObjects(String prefixUri, int max) {
        return objects.list(prefixUri, max);
    }

    @Override
    public int deleteStore() {
        return objects.deleteStore();
    }
}

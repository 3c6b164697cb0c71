package io.crossjobs.provisioner.azure.service;

import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.polling.PollResult;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.core.util.polling.PollResponse;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import io.crossjobs.events.CloudTags;
import io.crossjobs.provisioner.azure.config.AzureConfig;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subnet a region's VMs go in. A configured {@code subnet-id-template} is used as it is and nothing is made.
 * Otherwise crossjobs' own virtual network {@code crossjobs-{region}} (subnet {@code default}) in the resource
 * group: a VNet lives in one region, and a NIC must be in its VM's region. On the first launch in a region the
 * VNet is read, and made when it is missing; after that the region is known to be ready for this process.
 */
final class AzureNetworks {
    private static final Logger LOG = Logger.getLogger(AzureNetworks.class);
    static final String SUBNET = "default";

    private final AzureClients clients;
    private final AzureConfig config;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    AzureNetworks(AzureClients clients, AzureConfig config) {
        this.clients = clients;
        this.config = config;
    }

    static String vnetName(String region) {
        return "crossjobs-" + region;
    }

    /** The subnet id for a NIC in {@code region}, its network made first when crossjobs manages it and it is missing. */
    String subnetId(String region) {
        if (!managed()) {
            return config.subnetIdTemplate().get().replace("{subscription}", config.subscriptionId())
                    .replace("{resource-group}", config.resourceGroup()).replace("{region}", region);
        }
        if (!ready.contains(region)) {
            synchronized (locks.computeIfAbsent(region, r -> new Object())) {
                if (!ready.contains(region)) {
                    ensure(region);
                    ready.add(region);
                }
            }
        }
        return "/subscriptions/" + config.subscriptionId() + "/resourceGroups/" + config.resourceGroup()
                + "/providers/Microsoft.Network/virtualNetworks/" + vnetName(region) + "/subnets/" + SUBNET;
    }

    /** crossjobs makes the networks (no {@code subnet-id-template}). */
    boolean managed() {
        return config.subnetIdTemplate().isEmpty();
    }

    /**
     * Azure no longer finds the region's subnet (someone deleted the VNet, or mock-cloud restarted): the next
     * {@link #subnetId} reads the network again instead of trusting what this process saw before.
     */
    void forget(String region) {
        ready.remove(region);
    }

    /**
     * Reads the VNet and PUTs it only when it is missing: a PUT replaces the whole subnet list, so a VNet that
     * exists (made by an earlier process, or by hand) is used as it is. Two processes racing both PUT the same
     * body, which ARM takes as the same create.
     */
    private void ensure(String region) {
        String name = vnetName(region);
        try {
            clients.virtualNetworks().getByResourceGroupWithResponse(config.resourceGroup(), name, null, Context.NONE);
            return;
        } catch (ManagementException e) {
            if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) throw e;
        }
        String prefix = config.networkAddressPrefix();
        VirtualNetworkInner vnet = new VirtualNetworkInner()
                .withLocation(region)
                .withTags(Map.of(CloudTags.MANAGED_BY, CloudTags.MANAGED_BY_VALUE))
                .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of(prefix)))
                .withSubnets(List.of(new SubnetInner().withName(SUBNET).withAddressPrefix(prefix)
                        // only settable when the subnet is made; the API versions of 2026 default it to false
                        .withDefaultOutboundAccess(config.defaultOutboundAccess())));
        PollResponse<PollResult<VirtualNetworkInner>> last = clients.virtualNetworks()
                .beginCreateOrUpdate(config.resourceGroup(), name, vnet).waitForCompletion(config.operationTimeout());
        if (last.getStatus() != LongRunningOperationStatus.SUCCESSFULLY_COMPLETED) {
            throw ArmOperationFailedException.of(last);
        }
        LOG.infof("cloud=azure region=%s made virtual network %s (%s, subnet %s, defaultOutboundAccess=%s)", region,
                name, prefix, SUBNET, config.defaultOutboundAccess());
    }
}

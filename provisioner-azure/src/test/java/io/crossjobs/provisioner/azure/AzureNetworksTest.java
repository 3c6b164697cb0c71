package io.crossjobs.provisioner.azure;

import com.azure.core.management.SubResource;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.OSDisk;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import io.crossjobs.events.BlockScope;
import io.crossjobs.events.DeploymentId;
import io.crossjobs.events.ErrorClass;
import io.crossjobs.events.LaunchCluster;
import io.crossjobs.events.Placement;
import io.crossjobs.events.StartupScript;
import io.crossjobs.provisioner.azure.config.AzureConfig;
import io.crossjobs.provisioner.azure.service.AzureClients;
import io.crossjobs.provisioner.azure.service.AzureProvisioner;
import io.crossjobs.provisioner.service.CallPacer;
import io.crossjobs.provisioner.model.CloudError;
import io.crossjobs.provisioner.model.ClusterKey;
import io.crossjobs.provisioner.model.LaunchSpec;
import io.crossjobs.testsupport.MockCloudProcess;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network, disk and login each VM is launched with, read back from mock-cloud's ARM (which refuses, as Azure
 * does, a NIC in a missing subnet, a Linux VM without a key and an OS disk below the image's size). Each test has
 * a resource group of its own, so the networks it sees are the ones it made.
 */
class AzureNetworksTest {
    private static MockCloudProcess mock;
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        mock = MockCloudProcess.shared();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @AfterEach
    void noFaultLeft() {
        mock.clearFaults();
    }

    @Test
    void eachRegionGetsItsOwnNetworkOnceAndTheVmsGoInIt() {
        Setup azure = setup(Optional.empty());
        ClusterKey west = cluster();
        ClusterKey east = cluster();

        azure.provisioner().launch(spec(west, "westus2", 64));
        azure.provisioner().launch(spec(east, "eastus2", null));

        for (String region : List.of("westus2", "eastus2")) {
            VirtualNetworkInner vnet = azure.clients().virtualNetworks().getByResourceGroup(azure.resourceGroup(),
                    "crossjobs-" + region);
            assertEquals(region, vnet.location());
            assertEquals(List.of("10.0.0.0/16"), vnet.addressSpace().addressPrefixes());
            assertEquals("crossjobs", vnet.tags().get("managed-by"));
            SubnetInner subnet = vnet.subnets().get(0);
            assertEquals("default", subnet.name());
            assertEquals(Boolean.TRUE, subnet.defaultOutboundAccess(), "VMs keep Azure's default outbound access");
        }
        assertEquals(subnetOf(azure, "westus2"), nicSubnet(vm(azure, west)));
        assertEquals(subnetOf(azure, "eastus2"), nicSubnet(vm(azure, east)));

        // the region is known to be ready: a second launch there reads no network (the armed fault stays unused)
        mock.fault("azure", null, null, "virtualNetworks.get", "InternalServerError", 1);
        ClusterKey again = cluster();
        azure.provisioner().launch(spec(again, "westus2", null));
        CloudError firstUse = azure.provisioner().classify(assertThrows(RuntimeException.class,
                () -> azure.provisioner().launch(spec(cluster(), "centralus", null))));
        assertEquals(ErrorClass.TRANSIENT, firstUse.errorClass(), "a new region reads its network: the fault hits");

        for (ClusterKey key : List.of(west, again)) azure.provisioner().terminate("westus2", key);
        azure.provisioner().terminate("eastus2", east);
    }

    @Test
    void aNetworkDeletedBehindTheProcesssBackIsMadeAgain() {
        Setup azure = setup(Optional.empty());
        ClusterKey first = cluster();
        azure.provisioner().launch(spec(first, "westus2", null));
        azure.provisioner().terminate("westus2", first);
        await().atMost(Duration.ofSeconds(30)).until(() -> mock.inventoryOfJob("azure", first.jobId()).stream()
                .allMatch(i -> i.state().equals("terminated")));
        azure.clients().virtualNetworks().beginDelete(azure.resourceGroup(), "crossjobs-westus2").waitForCompletion();
        assertEquals(404, assertThrows(ManagementException.class, () -> azure.clients().virtualNetworks()
                .getByResourceGroup(azure.resourceGroup(), "crossjobs-westus2")).getResponse().getStatusCode());

        ClusterKey second = cluster();
        azure.provisioner().launch(spec(second, "westus2", null));

        assertEquals(subnetOf(azure, "westus2"), nicSubnet(vm(azure, second)));
        azure.provisioner().terminate("westus2", second);
    }

    @Test
    void theOsDiskHasTheAskedSizeOnStandardSsdAndTheAdminUserAThrowawayRsaKey() {
        Setup azure = setup(Optional.empty());
        ClusterKey sized = cluster();
        ClusterKey imageSize = cluster();

        azure.provisioner().launch(spec(sized, "westus2", 256));
        azure.provisioner().launch(spec(imageSize, "westus2", null));

        OSDisk disk = vm(azure, sized).storageProfile().osDisk();
        assertEquals(256, disk.diskSizeGB());
        assertEquals("StandardSSD_LRS", disk.managedDisk().storageAccountType().toString());
        assertEquals(30, vm(azure, imageSize).storageProfile().osDisk().diskSizeGB(), "the image's own size");
        var linux = vm(azure, sized).osProfile().linuxConfiguration();
        assertTrue(linux.disablePasswordAuthentication());
        assertTrue(linux.ssh().publicKeys().get(0).keyData().startsWith("ssh-rsa "));

        CloudError tooSmall = azure.provisioner().classify(assertThrows(RuntimeException.class,
                () -> azure.provisioner().launch(spec(cluster(), "westus2", 10))));
        assertEquals(new CloudError(ErrorClass.INVALID_REQUEST, BlockScope.CLOUD, "OperationNotAllowed",
                tooSmall.message()), tooSmall);
        assertTrue(tooSmall.message().contains("smaller than the size of the corresponding disk"), tooSmall.message());

        azure.provisioner().terminate("westus2", sized);
        azure.provisioner().terminate("westus2", imageSize);
    }

    @Test
    void aConfiguredSubnetIsUsedAsItIsAndNoNetworkIsMade() {
        String resourceGroup = "cj-own-net-" + UUID.randomUUID().toString().substring(0, 8);
        String template = "/subscriptions/{subscription}/resourceGroups/{resource-group}/providers/Microsoft.Network"
                + "/virtualNetworks/own-{region}/subnets/workers";
        Setup azure = setup(resourceGroup, Optional.of(template));
        azure.clients().virtualNetworks().beginCreateOrUpdate(resourceGroup, "own-westus2", new VirtualNetworkInner()
                .withLocation("westus2").withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("172.16.0.0/16")))
                .withSubnets(List.of(new SubnetInner().withName("workers").withAddressPrefix("172.16.1.0/24"))))
                .getFinalResult();
        ClusterKey key = cluster();

        azure.provisioner().launch(spec(key, "westus2", null));

        assertTrue(nicSubnet(vm(azure, key)).endsWith("/virtualNetworks/own-westus2/subnets/workers"));
        ManagementException none = assertThrows(ManagementException.class,
                () -> azure.clients().virtualNetworks().getByResourceGroup(resourceGroup, "crossjobs-westus2"));
        assertEquals(404, none.getResponse().getStatusCode());

        // a template naming a subnet that does not exist: Azure refuses the NIC, for that region
        CloudError missing = azure.provisioner().classify(assertThrows(RuntimeException.class,
                () -> azure.provisioner().launch(spec(cluster(), "eastus2", null))));
        assertEquals(new CloudError(ErrorClass.INVALID_REQUEST, BlockScope.REGION, "InvalidResourceReference",
                missing.message()), missing);
        azure.provisioner().terminate("westus2", key);
    }

    // ---------------------------------------------------------------- helpers

    private record Setup(AzureProvisioner provisioner, AzureClients clients, String resourceGroup) { }

    private static Setup setup(Optional<String> subnetIdTemplate) {
        return setup("cj-net-" + UUID.randomUUID().toString().substring(0, 8), subnetIdTemplate);
    }

    private static Setup setup(String resourceGroup, Optional<String> subnetIdTemplate) {
        AzureConfig config = AzureProvisionerTest.config(mock.armEndpoint(), "Delete", resourceGroup, subnetIdTemplate);
        AzureClients clients = new AzureClients(config, vertx, new CallPacer());
        return new Setup(new AzureProvisioner(clients, config, DeploymentId.DEFAULT), clients, resourceGroup);
    }

    private static VirtualMachineInner vm(Setup azure, ClusterKey key) {
        return azure.clients().virtualMachines().getByResourceGroup(azure.resourceGroup(), key.clusterName() + "-0");
    }

    private static String nicSubnet(VirtualMachineInner vm) {
        SubResource subnet = vm.networkProfile().networkInterfaceConfigurations().get(0).ipConfigurations().get(0)
                .subnet();
        return subnet.id();
    }

    private static String subnetOf(Setup azure, String region) {
        return azure.clients().virtualNetworks().getByResourceGroup(azure.resourceGroup(), "crossjobs-" + region)
                .subnets().get(0).id();
    }

    private static ClusterKey cluster() {
        String job = "net-" + UUID.randomUUID().toString().substring(0, 8);
        return new ClusterKey(job, 1, "cj-" + job + "-1");
    }

    private static LaunchSpec spec(ClusterKey key, String region, Integer diskGb) {
        Placement placement = Placement.builder().cloud("azure").region(region).instanceType("Standard_D2s_v5")
                .pricePerHour(0.096).diskSizeGb(diskGb).build();
        LaunchCluster cmd = new LaunchCluster(key.jobId(), key.attempt(), key.clusterName(), "task-" + key.jobId(),
                placement, 1, Map.of(), null, "true");
        return new LaunchSpec(key, placement, List.of(StartupScript.render(cmd, 0, List.of())));
    }
}

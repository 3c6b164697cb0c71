package io.crossjobs.mockcloud.arm;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.vertx.VertxHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.SubResource;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.Context;
import com.azure.core.util.polling.LongRunningOperationStatus;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.VirtualMachinesClient;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.ExpandTypeForListVMs;
import com.azure.resourcemanager.compute.models.HardwareProfile;
import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.InstanceViewTypes;
import com.azure.resourcemanager.compute.models.NetworkApiVersion;
import com.azure.resourcemanager.compute.models.NetworkProfile;
import com.azure.resourcemanager.compute.models.OSProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineEvictionPolicyTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineNetworkInterfaceConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineNetworkInterfaceIpConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachinePriorityTypes;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import com.azure.resourcemanager.compute.models.DiskCreateOptionTypes;
import com.azure.resourcemanager.compute.models.LinuxConfiguration;
import com.azure.resourcemanager.compute.models.OSDisk;
import com.azure.resourcemanager.compute.models.SshConfiguration;
import com.azure.resourcemanager.compute.models.SshPublicKey;
import com.azure.resourcemanager.compute.models.StorageProfile;
import com.azure.resourcemanager.network.fluent.SubnetsClient;
import com.azure.resourcemanager.network.fluent.VirtualNetworksClient;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.ProvisioningState;

import io.quarkus.test.junit.QuarkusTest;
import io.crossjobs.mockcloud.admin.ArmedFaults;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;
import reactor.core.publisher.Mono;

/** The real Azure SDK (ComputeManager's VirtualMachinesClient, bearer policy included) over HTTPS against the app. */
@QuarkusTest
class ArmSdkTest {
    private static final String SUB = "00000000-0000-0000-0000-00000000a2e1";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TokenCredential FAKE =
            r -> Mono.just(new AccessToken("fake-token", OffsetDateTime.now().plusHours(1)));

    @Inject
    ArmServer server;

    @Inject
    Vertx vertx;

    private VirtualMachinesClient vms;
    private VirtualNetworksClient networks;
    private SubnetsClient subnets;
    private String rg;

    private final ArmedFaults faults = new ArmedFaults();

    @AfterEach
    void disarmFaults() {
        faults.disarm();
    }

    @BeforeEach
    void client() {
        String pem = given().get("/mock/arm").then().statusCode(200).extract().path("certificatePem");
        var http = new VertxHttpClientBuilder().vertx(vertx).httpClientOptions(new HttpClientOptions().setSsl(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(pem))).build();
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", "https://127.0.0.1:" + server.port() + "/");
        ComputeManager compute = ComputeManager.configure().withHttpClient(http)
                .authenticate(FAKE, new AzureProfile("tenant", SUB, new AzureEnvironment(endpoints)));
        vms = compute.serviceClient().getVirtualMachines();
        networks = compute.networkManager().serviceClient().getVirtualNetworks();
        subnets = compute.networkManager().serviceClient().getSubnets();
        rg = "rg-" + UUID.randomUUID().toString().substring(0, 8);
        VirtualNetworkInner vnet = networks.beginCreateOrUpdate(rg, "vnet", new VirtualNetworkInner()
                .withLocation("eastus")
                .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.0.0.0/16")))
                .withSubnets(List.of(new SubnetInner().withName("default").withAddressPrefix("10.0.0.0/24")
                        .withDefaultOutboundAccess(true)))).getFinalResult();
        assertEquals(ProvisioningState.SUCCEEDED, vnet.provisioningState(), "the SDK's poller saw the PUT through");
    }

    @Test
    void theNetworkIsReadBackAndVmsAreCheckedAsComputeChecksThem() {
        SubnetInner subnet = subnets.get(rg, "vnet", "default");
        assertEquals("10.0.0.0/24", subnet.addressPrefix());
        assertEquals(Boolean.TRUE, subnet.defaultOutboundAccess());

        VirtualMachineInner elsewhere = vm("vm-net", false);
        elsewhere.networkProfile().networkInterfaceConfigurations().get(0).ipConfigurations().get(0)
                .withSubnet(new SubResource().withId(subnet.id().replace("/vnet/", "/missing/")));
        ManagementException noSubnet = assertThrows(ManagementException.class,
                () -> vms.beginCreateOrUpdate(rg, "vm-net", elsewhere));
        assertEquals(400, noSubnet.getResponse().getStatusCode());
        assertEquals("InvalidResourceReference", noSubnet.getValue().getCode());

        VirtualMachineInner big = vm("vm-big", false);
        big.osProfile().withCustomData(java.util.Base64.getEncoder().encodeToString(new byte[65_536]));
        ManagementException tooBig = assertThrows(ManagementException.class,
                () -> vms.beginCreateOrUpdate(rg, "vm-big", big));
        assertEquals("InvalidParameter", tooBig.getValue().getCode());
        assertEquals("customData", tooBig.getValue().getTarget());

        VirtualMachineInner sized = vm("vm-disk", false).withStorageProfile(new StorageProfile().withOsDisk(new OSDisk()
                .withCreateOption(DiskCreateOptionTypes.FROM_IMAGE).withDiskSizeGB(64)));
        vms.beginCreateOrUpdate(rg, "vm-disk", sized).getFinalResult();
        assertEquals(64, vms.getByResourceGroup(rg, "vm-disk").storageProfile().osDisk().diskSizeGB());
    }

    @Test
    void createReadListBootDiagnosticsAndDelete() throws Exception {
        VirtualMachineInner created = vms.beginCreateOrUpdate(rg, "vm-0", vm("vm-0", false)).getFinalResult();
        assertEquals("Succeeded", created.provisioningState());
        VirtualMachineInner replay = vms.createOrUpdate(rg, "vm-0", vm("vm-0", false));
        assertEquals(created.vmId(), replay.vmId(), "PUT by the same name is idempotent");

        VirtualMachineInner got = vms.getByResourceGroupWithResponse(rg, "vm-0", InstanceViewTypes.INSTANCE_VIEW,
                Context.NONE).getValue();
        assertEquals(List.of("ProvisioningState/succeeded", "PowerState/running"),
                got.instanceView().statuses().stream().map(InstanceViewStatus::code).toList());
        assertEquals("t-0", got.tags().get("crossjobs-node-rank"));

        vms.beginCreateOrUpdate(rg, "vm-1", vm("vm-1", false));
        vms.beginCreateOrUpdate(rg, "vm-2", vm("vm-2", false));
        List<VirtualMachineInner> listed = vms.listByResourceGroup(rg, null, ExpandTypeForListVMs.INSTANCE_VIEW,
                Context.NONE).stream().toList();
        assertEquals(List.of("vm-0", "vm-1", "vm-2"), listed.stream().map(VirtualMachineInner::name).toList(),
                "page size 2: the SDK follows nextLink");
        assertNotNull(listed.get(0).instanceView());
        List<Map<String, Object>> inventory = given().get("/mock/inventory?cloud=azure").then().statusCode(200)
                .extract().jsonPath().getList("$");
        assertTrue(inventory.stream().anyMatch(i -> created.vmId().equals(i.get("id"))));

        String uri = vms.retrieveBootDiagnosticsData(rg, "vm-0").serialConsoleLogBlobUri();
        await().atMost(WAIT).until(() -> fetch(uri, null).body().contains("hello arm"));
        String whole = fetch(uri, null).body();
        HttpResponse<String> tail = fetch(uri, "bytes=4-");
        assertEquals(206, tail.statusCode());
        assertEquals(whole.substring(4), tail.body());

        vms.beginDelete(rg, "vm-0", null, Context.NONE).getFinalResult();
        ManagementException gone = assertThrows(ManagementException.class, () -> vms.getByResourceGroup(rg, "vm-0"));
        assertEquals(404, gone.getResponse().getStatusCode());
        assertEquals("ResourceNotFound", gone.getValue().getCode());
    }

    @Test
    void faultsSurfaceAsTheSdkSeesThem() {
        fault(null, "SkuNotAvailable");
        ManagementException sync = assertThrows(ManagementException.class,
                () -> vms.beginCreateOrUpdate(rg, "vm-sku", vm("vm-sku", false)));
        assertEquals(409, sync.getResponse().getStatusCode());
        assertEquals("SkuNotAvailable", sync.getValue().getCode());

        fault(null, "AllocationFailed");
        var poller = vms.beginCreateOrUpdate(rg, "vm-alloc", vm("vm-alloc", false));
        var last = poller.waitForCompletion();
        assertEquals(LongRunningOperationStatus.FAILED, last.getStatus());
        assertEquals("Failed", vms.getByResourceGroup(rg, "vm-alloc").provisioningState());
    }

    @Test
    void spotEvictionWithDeleteLeavesNoVmAndWithDeallocateLeavesItDeallocated() {
        String del = vms.beginCreateOrUpdate(rg, "spot-del", vm("spot-del", true)).getFinalResult().vmId();
        VirtualMachineInner dealloc = vm("spot-dealloc", true).withEvictionPolicy(VirtualMachineEvictionPolicyTypes.DEALLOCATE);
        String deallocId = vms.beginCreateOrUpdate(rg, "spot-dealloc", dealloc).getFinalResult().vmId();

        given().post("/mock/instances/" + del + "/preempt").then().statusCode(202);
        given().post("/mock/instances/" + deallocId + "/preempt").then().statusCode(202);

        await().atMost(WAIT).until(() -> vms.listByResourceGroup(rg).stream().noneMatch(v -> v.name().equals("spot-del")));
        await().atMost(WAIT).until(() -> vms.getByResourceGroupWithResponse(rg, "spot-dealloc",
                InstanceViewTypes.INSTANCE_VIEW, Context.NONE).getValue().instanceView().statuses().stream()
                .anyMatch(s -> s.code().equals("PowerState/deallocated")));
    }

    @Test
    void certificateCoversTheConfiguredExtraHostNames() throws Exception {
        // %test.mock-cloud.arm.extra-host-names in application.properties: how Docker Compose names mock-cloud
        assertTrue(ArmCertificateTest.names(server.certificate()).contains("dns:mock-cloud"));
    }

    private void fault(String action, String code) {
        Map<String, Object> spec = new HashMap<>(Map.of("cloud", "azure", "errorCode", code));
        if (action != null) spec.put("action", action);
        faults.arm(spec);
    }

    private HttpResponse<String> fetch(String uri, String range) throws Exception {
        String pem = given().get("/mock/arm").then().extract().path("certificatePem");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(java.nio.file.Path.of(pem))) {
            trust.setCertificateEntry("arm", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(uri));
        if (range != null) req.header("Range", range);
        return java.net.http.HttpClient.newBuilder().sslContext(ssl).build()
                .send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private VirtualMachineInner vm(String name, boolean spot) {
        String subnet = "/subscriptions/" + SUB + "/resourceGroups/" + rg
                + "/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default";
        LinuxConfiguration linux = new LinuxConfiguration().withDisablePasswordAuthentication(true)
                .withSsh(new SshConfiguration().withPublicKeys(List.of(new SshPublicKey()
                        .withPath("/home/azureuser/.ssh/authorized_keys").withKeyData(ArmBodies.sshKey()))));
        VirtualMachineInner vm = new VirtualMachineInner().withLocation("eastus")
                .withTags(Map.of("crossjobs-node-rank", "t-" + name.substring(name.length() - 1)))
                .withHardwareProfile(new HardwareProfile().withVmSize(VirtualMachineSizeTypes.fromString("Standard_B1s")))
                .withOsProfile(new OSProfile().withComputerName(name).withAdminUsername("azureuser")
                        .withCustomData(java.util.Base64.getEncoder().encodeToString(
                                "#!/bin/bash\necho hello arm\n".getBytes(StandardCharsets.UTF_8)))
                        .withLinuxConfiguration(linux))
                .withNetworkProfile(new NetworkProfile().withNetworkApiVersion(NetworkApiVersion.TWO_ZERO_TWO_ZERO_ONE_ONE_ZERO_ONE)
                        .withNetworkInterfaceConfigurations(List.of(new VirtualMachineNetworkInterfaceConfiguration()
                                .withName(name + "-nic").withPrimary(true)
                                .withIpConfigurations(List.of(new VirtualMachineNetworkInterfaceIpConfiguration()
                                        .withName("ipcfg").withSubnet(new SubResource().withId(subnet)))))));
        if (spot) {
            vm.withPriority(VirtualMachinePriorityTypes.SPOT).withEvictionPolicy(VirtualMachineEvictionPolicyTypes.DELETE);
        }
        return vm;
    }
}

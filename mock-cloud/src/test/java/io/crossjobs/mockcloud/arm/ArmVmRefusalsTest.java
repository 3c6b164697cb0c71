package io.crossjobs.mockcloud.arm;

import static io.crossjobs.mockcloud.arm.ArmBodies.BASE;
import static io.crossjobs.mockcloud.arm.ArmBodies.V;
import static io.crossjobs.mockcloud.arm.ArmBodies.VNET_PATH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.SimulatedWorkloadRunner;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;

/** What Compute refuses in a VM PUT, with ARM's status, code and target; nothing is created then. */
class ArmVmRefusalsTest {
    private static final String VM = "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines/vm-1";

    private final MutableClock clock = new MutableClock();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults(), clock,
            new SimulatedWorkloadRunner(clock, Duration.ofMillis(10)));
    private final ArmApi arm = new ArmApi(sim, 2, ArmRules.strict());

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aNicNeedsItsSubnetInTheVmsLocation() {
        JsonNode missing = refused(400, "InvalidResourceReference", null, ArmBodies.vm("true", ""));
        assertEquals("Resource " + ArmBodies.SUBNET + " referenced by resource /subscriptions/sub-1/resourceGroups/rg-1"
                + "/providers/Microsoft.Network/networkInterfaces/nic was not found. Please make sure that the"
                + " referenced resource exists, and that both resources are in the same region.",
                missing.at("/error/message").asText());

        arm.handle("PUT", VNET_PATH, V, null, ArmBodies.vnet("westus2"), BASE);
        refused(400, "InvalidResourceReference", null, ArmBodies.vm("true", ""));   // the network is elsewhere

        String noNetwork = ArmBodies.vm("true", "").replaceAll("(?s),\\s*\"networkProfile\".*$", "}}");
        refused(400, "InvalidParameter", "networkProfile", noNetwork);
    }

    @Test
    void aLinuxVmNeedsAKeyOrAPasswordAndTheKeyMustBeRsaOfAtLeast2048Bits() {
        network();
        String noKey = ArmBodies.vm("true", "").replaceAll("(?s)\"ssh\":\\{.*?\\]\\}", "\"ssh\":{\"publicKeys\":[]}");
        refused(400, "InvalidParameter", "linuxConfiguration", noKey);
        refused(400, "InvalidParameter", "linuxConfiguration.ssh.publicKeys.keyData",
                ArmBodies.vm("true", "").replace(ArmBodies.sshKey(), ArmBodies.rsaKey(1024)));
        refused(400, "InvalidParameter", "linuxConfiguration.ssh.publicKeys.keyData",
                ArmBodies.vm("true", "").replace(ArmBodies.sshKey(), "ssh-rsa not-base64!"));
        refused(400, "InvalidParameter", "linuxConfiguration.ssh.publicKeys.keyData",
                ArmBodies.vm("true", "").replace(ArmBodies.sshKey(), ArmBodies.ed25519Key()));
        String noOsProfile = ArmBodies.vm("true", "").replaceAll("(?s)\"osProfile\":\\{.*?\\]\\}\\}\\},", "");
        refused(400, "InvalidParameter", "osProfile", noOsProfile);

        String password = noKey.replace("\"disablePasswordAuthentication\":true",
                "\"disablePasswordAuthentication\":false").replace("\"adminUsername\":\"azureuser\"",
                "\"adminUsername\":\"azureuser\",\"adminPassword\":\"Secret-Passw0rd\"");
        ArmResponse accepted = put(password);
        assertEquals(201, accepted.status(), accepted.json().toString());
        assertTrue(accepted.json().at("/properties/osProfile/adminPassword").isMissingNode(), "never returned");
    }

    @Test
    void customDataIsAtMost87380Base64CharactersThat65535Bytes() {
        network();
        assertEquals(201, put(ArmBodies.vm("#".repeat(65_535), "")).status());
        JsonNode tooBig = refused(400, "InvalidParameter", "customData", ArmBodies.vm("#".repeat(65_536), ""));
        assertEquals("Custom data in OSProfile must be in Base64 encoding and with a maximum length of 87380"
                + " characters.", tooBig.at("/error/message").asText());
    }

    @Test
    void theOsDiskIsNoSmallerThanTheImageAndNoLargerThan4095GbAndItsSizeIsShown() {
        network();
        JsonNode small = refused(409, "OperationNotAllowed", "osDisk.diskSizeGB", withDisk(29));
        assertTrue(small.at("/error/message").asText().contains("smaller than the size of the corresponding disk in"
                + " the VM image: 30 GB"), small.toString());
        refused(400, "InvalidParameter", "osDisk.diskSizeGB", withDisk(4_096));

        assertEquals(201, put(withDisk(256)).status());
        JsonNode vm = arm.handle("GET", VM, V, null, null, BASE).json();
        assertEquals(256, vm.at("/properties/storageProfile/osDisk/diskSizeGB").asInt());
        assertEquals("StandardSSD_LRS", vm.at("/properties/storageProfile/osDisk/managedDisk/storageAccountType").asText());
    }

    @Test
    void onlyKnownSizesGpuSizesOfTheCatalogIncluded() {
        network();
        JsonNode unknown = refused(400, "InvalidParameter", "vmSize",
                ArmBodies.vm("true", "").replace("Standard_D2s_v5", "Standard_Bogus_v9"));
        assertTrue(unknown.at("/error/message").asText().startsWith("The value Standard_Bogus_v9 provided for the VM"
                + " size is not valid."), unknown.toString());
        assertEquals(201, put(ArmBodies.vm("true", "").replace("Standard_D2s_v5", "Standard_NC4as_T4_v3")).status());
    }

    @Test
    void aNameTakenInAnotherLocationIsRefused() {
        network();
        assertEquals(201, put(ArmBodies.vm("true", "")).status());
        arm.handle("PUT", VNET_PATH.replace("net-eastus", "net-westus2"), V, null, ArmBodies.vnet("westus2"), BASE);
        String westus2 = ArmBodies.vm("true", "").replace("\"location\":\"eastus\"", "\"location\":\"westus2\"")
                .replace("net-eastus", "net-westus2");

        ArmResponse moved = put(westus2);

        assertEquals(400, moved.status());
        assertEquals("InvalidResourceLocation", moved.json().at("/error/code").asText());
        assertEquals("eastus", arm.handle("GET", VM, V, null, null, BASE).json().get("location").asText());
        assertEquals(1, sim.list().size());
    }

    @Test
    void everyCheckCanBeRelaxed() {
        ArmApi lenient = new ArmApi(sim, 2, ArmRules.lenient());
        String anything = """
                {"location":"eastus","properties":{"hardwareProfile":{"vmSize":"Standard_Whatever"},
                 "osProfile":{"customData":"%s"},"storageProfile":{"osDisk":{"diskSizeGB":5}},
                 "networkProfile":{"networkInterfaceConfigurations":[{"name":"nic","properties":{"ipConfigurations":[
                  {"name":"ip","properties":{"subnet":{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/none/subnets/none"}}}]}}]}}}
                """.formatted("A".repeat(100_000));
        ArmResponse accepted = lenient.handle("PUT", VM, V, null, anything, BASE);
        assertEquals(201, accepted.status(), String.valueOf(accepted.json()));
    }

    private void network() {
        arm.handle("PUT", VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE);
    }

    private static String withDisk(int gb) {
        return ArmBodies.vm("true", ",\"storageProfile\":{\"imageReference\":{\"publisher\":\"Canonical\","
                + "\"offer\":\"ubuntu-24_04-lts\",\"sku\":\"server\",\"version\":\"latest\"},\"osDisk\":{"
                + "\"createOption\":\"FromImage\",\"diskSizeGB\":" + gb + ",\"managedDisk\":{\"storageAccountType\":"
                + "\"StandardSSD_LRS\"}}}");
    }

    private ArmResponse put(String body) {
        return arm.handle("PUT", VM, V, null, body, BASE);
    }

    /** The PUT is refused as expected and nothing is created; the error body. */
    private JsonNode refused(int status, String code, String target, String body) {
        int before = sim.list().size();
        ArmResponse r = arm.handle("PUT", VM.replace("vm-1", "vm-refused"), V, null, body, BASE);
        assertEquals(status, r.status(), String.valueOf(r.json()));
        assertEquals(code, r.json().at("/error/code").asText(), r.json().toString());
        if (target == null) {
            assertTrue(r.json().at("/error/target").isMissingNode(), r.json().toString());
        } else {
            assertEquals(target, r.json().at("/error/target").asText());
        }
        assertEquals(before, sim.list().size(), "nothing was created");
        assertEquals(404, arm.handle("GET", VM.replace("vm-1", "vm-refused"), V, null, null, BASE).status());
        return r.json();
    }
}

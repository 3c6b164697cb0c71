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

/** Microsoft.Network virtual networks as ARM serves them: async PUT, GET, subnet, list, and what Network refuses. */
class ArmNetworksTest {
    private final MutableClock clock = new MutableClock();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults(), clock,
            new SimulatedWorkloadRunner(clock, Duration.ofMillis(10)));
    private final ArmApi arm = new ArmApi(sim, 2, ArmRules.strict());

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void putIsAsynchronousThenTheNetworkAndItsSubnetAreRead() {
        ArmResponse created = arm.handle("PUT", VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE);

        assertEquals(201, created.status());
        assertEquals("Updating", created.json().at("/properties/provisioningState").asText());
        String op = created.headers().get("Azure-AsyncOperation");
        assertTrue(op.startsWith(BASE + "subscriptions/sub-1/providers/Microsoft.Network/locations/eastus/operations/"), op);
        assertEquals("InProgress", poll(op).get("status").asText());
        clock.advance(Duration.ofMillis(600));
        assertEquals("Succeeded", poll(op).get("status").asText());

        JsonNode vnet = arm.handle("GET", VNET_PATH, V, null, null, BASE).json();
        assertEquals("Succeeded", vnet.at("/properties/provisioningState").asText());
        assertEquals("eastus", vnet.get("location").asText());
        assertEquals("10.0.0.0/16", vnet.at("/properties/addressSpace/addressPrefixes/0").asText());
        assertEquals(ArmBodies.SUBNET, vnet.at("/properties/subnets/0/id").asText());
        assertTrue(vnet.at("/properties/subnets/0/properties/defaultOutboundAccess").asBoolean());
        JsonNode subnet = arm.handle("GET", VNET_PATH + "/subnets/default", V, null, null, BASE).json();
        assertEquals("10.0.0.0/16", subnet.at("/properties/addressPrefix").asText());
        assertEquals(404, arm.handle("GET", VNET_PATH + "/subnets/other", V, null, null, BASE).status());
        JsonNode listed = arm.handle("GET", "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/"
                + "virtualNetworks", V, null, null, BASE).json();
        assertEquals("net-eastus", listed.at("/value/0/name").asText());

        assertEquals(200, arm.handle("PUT", VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE).status(),
                "a PUT of the same network again is an update");
        assertEquals(404, arm.handle("GET", VNET_PATH.replace("net-eastus", "nothing"), V, null, null, BASE).status());
    }

    @Test
    void networkRefusesAMoveASubnetOutsideItsSpaceAndABadPrefix() {
        arm.handle("PUT", VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE);

        ArmResponse moved = arm.handle("PUT", VNET_PATH, V, null, ArmBodies.vnet("westus2"), BASE);
        assertEquals(400, moved.status());
        assertEquals("InvalidResourceLocation", moved.json().at("/error/code").asText());

        ArmResponse outside = arm.handle("PUT", VNET_PATH.replace("net-eastus", "other"), V, null,
                ArmBodies.vnet("eastus").replace("\"addressPrefix\":\"10.0.0.0/16\"", "\"addressPrefix\":\"10.1.0.0/24\""),
                BASE);
        assertEquals(400, outside.status());
        assertEquals("NetcfgSubnetRangeOutsideVnet", outside.json().at("/error/code").asText());

        ArmResponse hostBits = arm.handle("PUT", VNET_PATH.replace("net-eastus", "other"), V, null,
                ArmBodies.vnet("eastus").replace("\"addressPrefix\":\"10.0.0.0/16\"", "\"addressPrefix\":\"10.0.0.5/24\""),
                BASE);
        assertEquals("InvalidCIDRNotation", hostBits.json().at("/error/code").asText());
        assertEquals(404, arm.handle("GET", VNET_PATH.replace("net-eastus", "other"), V, null, null, BASE).status());
    }

    @Test
    void aNetworkIsDeletedOnlyOnceNoVmIsInIt() {
        arm.handle("PUT", VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE);
        String vm = "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines/vm-1";
        assertEquals(201, arm.handle("PUT", vm, V, null, ArmBodies.vm("true", ""), BASE).status());

        ArmResponse inUse = arm.handle("DELETE", VNET_PATH, V, null, null, BASE);
        assertEquals(400, inUse.status());
        assertEquals("InUseSubnetCannotBeDeleted", inUse.json().at("/error/code").asText());
        assertEquals(200, arm.handle("GET", VNET_PATH, V, null, null, BASE).status());

        arm.handle("DELETE", vm, V, null, null, BASE);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            sim.tick();
        }
        assertEquals(404, arm.handle("GET", vm, V, null, null, BASE).status());
        assertEquals(200, arm.handle("DELETE", VNET_PATH, V, null, null, BASE).status());
        assertEquals(404, arm.handle("GET", VNET_PATH, V, null, null, BASE).status());
        assertEquals(204, arm.handle("DELETE", VNET_PATH, V, null, null, BASE).status());
    }

    private JsonNode poll(String url) {
        return arm.handle("GET", url.substring(BASE.length() - 1, url.indexOf('?')), V, null, null, BASE).json();
    }
}

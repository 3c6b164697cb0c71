package io.crossjobs.mockcloud.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.SimulatedWorkloadRunner;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;

/** virtualMachines.update (PATCH) of tags: ARM replaces the whole tag set, and the VM's metadata follows. */
class ArmTagsTest {
    private static final String BASE = "https://127.0.0.1:8443/";
    private static final String VM = "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines/vm-1";
    private static final Map<String, String> V = Map.of("api-version", "2025-04-01");

    private final MutableClock clock = new MutableClock();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults(), clock,
            new SimulatedWorkloadRunner(clock, Duration.ofMillis(10)));
    private final ArmApi arm = new ArmApi(sim, 2, ArmRules.strict());

    @BeforeEach
    void network() {
        arm.handle("PUT", ArmBodies.VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void patchReplacesTheTagsOnTheResourceAndInTheVmsMetadata() {
        arm.handle("PUT", VM, V, null, ArmBodies.vm("true", "").replace("\"crossjobs-job-id\":\"j-1\"",
                "\"crossjobs-job-id\":\"j-1\",\"owner\":\"me\""), BASE);

        ArmResponse patched = arm.handle("PATCH", VM, V, null,
                "{\"tags\":{\"crossjobs-job-id\":\"j-1\",\"crossjobs-node-ips\":\"10.0.0.4 10.0.0.5\"}}", BASE);

        assertEquals(200, patched.status());
        assertEquals("10.0.0.4 10.0.0.5", patched.json().at("/tags/crossjobs-node-ips").asText());
        assertFalse(patched.json().path("tags").has("owner"), "PATCH replaces the tag set whole");
        assertEquals("10.0.0.4 10.0.0.5",
                arm.handle("GET", VM, V, null, null, BASE).json().at("/tags/crossjobs-node-ips").asText());
        assertEquals(Map.of("crossjobs-job-id", "j-1", "crossjobs-node-ips", "10.0.0.4 10.0.0.5"),
                sim.list().get(0).tags());
    }

    @Test
    void patchOfAnUnknownVmOrWithBadTagsIsRefused() {
        assertEquals(404, arm.handle("PATCH", VM, V, null, "{\"tags\":{}}", BASE).status());
        arm.handle("PUT", VM, V, null, ArmBodies.vm("true", "").replace("\"crossjobs-job-id\":\"j-1\"",
                "\"a\":\"b\""), BASE);
        ArmResponse bad = arm.handle("PATCH", VM, V, null, "{\"tags\":{\"a/b\":\"c\"}}", BASE);
        assertEquals(400, bad.status());
        assertEquals(Map.of("a", "b"), sim.list().get(0).tags());
    }

    @Test
    void networkInterfacesListGivesEachVmsPrivateIp() {
        arm.handle("PUT", VM, V, null, ArmBodies.vm("true", "").replace("\"name\":\"nic\"",
                "\"name\":\"vm-1-nic\""), BASE);

        ArmResponse nics = arm.handle("GET",
                "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/networkInterfaces", V, null, null,
                BASE);

        assertEquals(200, nics.status());
        assertEquals("vm-1-nic", nics.json().at("/value/0/name").asText());
        assertEquals(arm.handle("GET", VM, V, null, null, BASE).json().get("id").asText(),
                nics.json().at("/value/0/properties/virtualMachine/id").asText());
        assertEquals(sim.list().get(0).privateIp(),
                nics.json().at("/value/0/properties/ipConfigurations/0/properties/privateIPAddress").asText());
    }
}

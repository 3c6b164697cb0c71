package io.crossjobs.mockcloud.arm;

import static io.crossjobs.mockcloud.arm.ArmBodies.BASE;
import static io.crossjobs.mockcloud.arm.ArmBodies.V;
import static io.crossjobs.mockcloud.arm.ArmBodies.VNET_PATH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.quotas.QuotaOverride;
import io.crossjobs.mockcloud.sim.AliveListener;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.SimulatedWorkloadRunner;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;

/**
 * Azure's two tiers of vCPU quota, Total Regional and per family (Spot in Low-priority apart), refused on the PUT
 * with 409 OperationNotAllowed and the figures Azure gives; counted on the VMs alive.
 */
class ArmQuotasTest {
    private static final String VMS = "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines/";

    private final MutableClock clock = new MutableClock();
    private final QuotaGate quotas = QuotaGate.strict();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults(), clock,
            new SimulatedWorkloadRunner(clock, Duration.ofMillis(10)), AliveListener.NONE, quotas);
    private final ArmApi arm = new ArmApi(sim, 2, ArmRules.strict());

    @BeforeEach
    void network() {
        arm.handle("PUT", VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE);
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aGpuSizeIsRefusedByItsFamilysQuotaOfZeroUntilRaised() {
        ArmResponse refused = put("t4-1", "Standard_NC4as_T4_v3", false);
        assertEquals(409, refused.status(), String.valueOf(refused.json()));
        assertEquals("OperationNotAllowed", refused.json().at("/error/code").asText());
        String message = refused.json().at("/error/message").asText();
        assertEquals("Operation could not be completed as it results in exceeding approved standardNCASv3_T4Family"
                + " Cores quota. Additional details - Deployment Model: Resource Manager, Location: eastus, Current"
                + " Limit: 0, Current Usage: 0, Additional Required: 4, (Minimum) New Limit Required: 4.",
                message.substring(0, message.indexOf(". Submit") + 1));
        assertEquals(0, sim.list().size(), "nothing was made");
        assertEquals(404, arm.handle("GET", VMS + "t4-1", V, null, null, BASE).status());

        quotas.set(new QuotaOverride(Cloud.AZURE, "eastus", "standardNCASv3_T4Family", 8));
        assertEquals(201, put("t4-2", "Standard_NC8as_T4_v3", false).status());
        assertEquals(409, put("t4-3", "Standard_NC4as_T4_v3", false).status(), "8 of 8 taken");
    }

    @Test
    void theTotalRegionalQuotaCountsTheVmsAliveAndSpotCountsInLowPriority() {
        quotas.set(new QuotaOverride(Cloud.AZURE, "eastus", "cores", 10));
        assertEquals(201, put("d8", "Standard_D8s_v5", false).status());
        ArmResponse total = put("d4", "Standard_D4s_v5", false);
        assertEquals(409, total.status());
        assertEquals(true, total.json().at("/error/message").asText().startsWith("Operation could not be completed as"
                + " it results in exceeding approved Total Regional Cores quota. Additional details - Deployment Model:"
                + " Resource Manager, Location: eastus, Current Limit: 10, Current Usage: 8, Additional Required: 4,"
                + " (Minimum) New Limit Required: 12."), total.json().toString());
        assertEquals(201, put("spot", "Standard_D4s_v5", true).status(), "spot counts in lowPriorityCores");
        quotas.set(new QuotaOverride(Cloud.AZURE, "eastus", "lowPriorityCores", 4));
        assertEquals(true, put("spot-2", "Standard_D2s_v5", true).json().at("/error/message").asText()
                .contains("exceeding approved LowPriorityCores quota"));

        assertEquals(202, arm.handle("DELETE", VMS + "d8", V, null, null, BASE).status());
        assertEquals(201, put("d4-again", "Standard_D4s_v5", false).status(), "the deleted VM's vCPUs are free again");
    }

    private ArmResponse put(String name, String size, boolean spot) {
        String body = ArmBodies.vm("true", spot ? ",\"priority\":\"Spot\",\"evictionPolicy\":\"Delete\"" : "")
                .replace("Standard_D2s_v5", size);
        return arm.handle("PUT", VMS + name, V, null, body, BASE);
    }
}

package io.crossjobs.mockcloud.gce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.crossjobs.mockcloud.quotas.QuotaGate;
import io.crossjobs.mockcloud.quotas.QuotaOverride;
import io.crossjobs.mockcloud.quotas.QuotaUsage;
import io.crossjobs.mockcloud.sim.AliveListener;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.EchoRunner;
import io.crossjobs.mockcloud.sim.MutableClock;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;

/**
 * Compute Engine's allocation quotas: the insert is accepted and its operation fails with QUOTA_EXCEEDED (403),
 * regional GPU quotas and the global GPUS_ALL_REGIONS both hold, and CPUS counts the instances alive.
 */
class GceQuotasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String P = "proj-q";
    private static final String Z = "us-central1-a";
    private static final String REGION = "us-central1";

    private final MutableClock clock = new MutableClock();
    private final QuotaGate quotas = QuotaGate.strict();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults(), clock, new EchoRunner(),
            AliveListener.NONE, quotas);
    private final GceApi api = new GceApi(sim);

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void aGpuInstanceFailsInItsOperationUntilTheRegionalAndTheGlobalGpuQuotasAreRaised() {
        JsonNode op = api.insert(P, Z, null, gpuVm("t4-1"));
        assertFailed(op, "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 0.0 in region us-central1.");
        assertEquals(0, sim.list().size(), "nothing was made");
        assertEquals(404, status(() -> api.get(P, Z, "t4-1")));

        quotas.set(new QuotaOverride(Cloud.GCP, REGION, "NVIDIA_T4_GPUS", 1));
        assertFailed(api.insert(P, Z, null, gpuVm("t4-2")), "Quota 'GPUS_ALL_REGIONS' exceeded.  Limit: 0.0 globally.");

        quotas.set(new QuotaOverride(Cloud.GCP, "global", "GPUS_ALL_REGIONS", 4));
        JsonNode launched = api.insert(P, Z, null, gpuVm("t4-3"));
        assertTrue(launched.path("error").isMissingNode(), launched.toString());
        assertFailed(api.insert(P, Z, null, gpuVm("t4-4")), "Quota 'NVIDIA_T4_GPUS' exceeded.  Limit: 1.0 in region us-central1.");
        QuotaUsage t4 = usage("NVIDIA_T4_GPUS");
        assertEquals(1.0, t4.usage());
        assertEquals(1.0, t4.limit());
        assertEquals(1.0, usage("GPUS_ALL_REGIONS").usage());
    }

    @Test
    void spotVmsTakeThePreemptibleQuotaOnlyWhereItIsSet() {
        quotas.set(new QuotaOverride(Cloud.GCP, REGION, "CPUS", 4));
        assertTrue(api.insert(P, Z, null, vm("spot-1", "e2-standard-4", true)).path("error").isMissingNode());
        assertEquals(4.0, usage("CPUS").usage(), "no PREEMPTIBLE_CPUS quota: spot counts in CPUS");
        assertFailed(api.insert(P, Z, null, vm("spot-2", "e2-standard-4", true)),
                "Quota 'CPUS' exceeded.  Limit: 4.0 in region us-central1.");

        quotas.set(new QuotaOverride(Cloud.GCP, REGION, "PREEMPTIBLE_CPUS", 8));
        assertTrue(api.insert(P, Z, null, vm("spot-3", "e2-standard-4", true)).path("error").isMissingNode());
        assertEquals(8.0, usage("PREEMPTIBLE_CPUS").usage(), "with the quota set, both spot VMs count there");
    }

    @Test
    void cpusCountTheInstancesAliveAndADeletedInstanceGivesThemBack() {
        quotas.set(new QuotaOverride(Cloud.GCP, REGION, "CPUS", 12));
        assertTrue(api.insert(P, Z, null, vm("big", "n1-standard-8", false)).path("error").isMissingNode());
        assertFailed(api.insert(P, Z, null, vm("two", "e2-standard-8", false)),
                "Quota 'CPUS' exceeded.  Limit: 12.0 in region us-central1.");
        assertTrue(api.insert(P, Z, null, vm("n2", "n2-standard-8", false)).path("error").isMissingNode(),
                "N2 counts in N2_CPUS");
        assertEquals(8.0, usage("N2_CPUS").usage());
        assertEquals(16.0, usage("CPUS_ALL_REGIONS").usage());

        api.delete(P, Z, "big", null);
        assertTrue(api.insert(P, Z, null, vm("three", "e2-standard-8", false)).path("error").isMissingNode(),
                "the deleted instance's vCPUs are free again");
    }

    private QuotaUsage usage(String metric) {
        List<QuotaUsage> all = quotas.usage(Cloud.GCP, REGION, sim.list());
        return all.stream().filter(u -> u.metric().equals(metric)).findFirst().orElseThrow();
    }

    private void assertFailed(JsonNode op, String message) {
        JsonNode done = api.waitOperation(P, Z, op.path("name").asText());
        assertEquals("DONE", done.path("status").asText(), done.toString());
        assertEquals(403, done.path("httpErrorStatusCode").asInt(), done.toString());
        assertEquals("QUOTA_EXCEEDED", done.at("/error/errors/0/code").asText(), done.toString());
        assertEquals(message, done.at("/error/errors/0/message").asText(), done.toString());
    }

    private static int status(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (GceError e) {
            return e.status();
        }
    }

    private static ObjectNode gpuVm(String name) {
        ObjectNode b = vm(name, "n1-standard-8", false);
        b.putObject("scheduling").put("onHostMaintenance", "TERMINATE");
        b.putArray("guestAccelerators").addObject()
                .put("acceleratorType", "zones/" + Z + "/acceleratorTypes/nvidia-tesla-t4").put("acceleratorCount", 1);
        return b;
    }

    private static ObjectNode vm(String name, String machineType, boolean spot) {
        ObjectNode b = JSON.createObjectNode().put("name", name).put("machineType", "zones/" + Z + "/machineTypes/" + machineType);
        if (spot) b.putObject("scheduling").put("provisioningModel", "SPOT").put("onHostMaintenance", "TERMINATE")
                .put("automaticRestart", false);
        b.putArray("networkInterfaces").addObject().put("network", "global/networks/default");
        return b;
    }
}

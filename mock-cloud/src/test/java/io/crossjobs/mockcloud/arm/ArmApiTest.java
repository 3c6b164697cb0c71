package io.crossjobs.mockcloud.arm;

import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.sim.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.crossjobs.mockcloud.sim.FaultSpec;
import io.crossjobs.mockcloud.sim.SimulatedWorkloadRunner;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;

/** ARM wire shapes and VM life cycle, without HTTP: a hand-moved clock and simulated workloads. */
class ArmApiTest {
    private static final String BASE = "https://127.0.0.1:8443/";
    private static final String RG_PATH = "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachines";
    private static final Map<String, String> V = Map.of("api-version", "2025-04-01");

    private final MutableClock clock = new MutableClock();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults().withBootDelay(Duration.ofSeconds(1))
            .withShutdownDelay(Duration.ofSeconds(1)), clock, new SimulatedWorkloadRunner(clock, Duration.ofMillis(10)));
    private final ArmApi arm = new ArmApi(sim, 2, ArmRules.strict());

    @BeforeEach
    void network() {
        assertEquals(201, arm.handle("PUT", ArmBodies.VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE).status());
    }

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void putCreatesAsyncThenSucceedsAndIsIdempotentByName() {
        ArmResponse created = put("vm-1", vmBody("Regular", null));
        assertEquals(201, created.status());
        assertEquals("Creating", created.json().at("/properties/provisioningState").asText());
        String op = created.headers().get("Azure-AsyncOperation");
        assertTrue(op.startsWith(BASE + "subscriptions/sub-1/providers/Microsoft.Compute/locations/eastus/operations/"), op);
        assertEquals("1", created.headers().get("Retry-After"));
        assertEquals("InProgress", poll(op).json().get("status").asText());

        ArmResponse again = put("vm-1", vmBody("Regular", null));
        assertEquals(200, again.status());
        assertEquals(created.json().at("/properties/vmId"), again.json().at("/properties/vmId"));
        assertEquals(1, sim.list().size(), "the same name twice is one VM");

        advance(1100);
        assertEquals("Succeeded", poll(op).json().get("status").asText());
        JsonNode vm = arm.handle("GET", RG_PATH + "/vm-1", Map.of("api-version", "2025-04-01", "$expand", "instanceView"),
                null, null, BASE).json();
        assertEquals("Succeeded", vm.at("/properties/provisioningState").asText());
        assertEquals(List.of("ProvisioningState/succeeded", "PowerState/running"), codes(vm));
        assertEquals("j-1", vm.at("/tags/crossjobs-job-id").asText());
        assertEquals("1", vm.at("/zones/0").asText());
        assertTrue(vm.at("/properties/osProfile/customData").isMissingNode(), "ARM never returns custom data");
        assertEquals("1", sim.list().get(0).zone());
        assertEquals("Standard_D2s_v5", sim.list().get(0).instanceType());
    }

    @Test
    void aVmsBootDiagnosticsBeyondComputesPerVmPolicyAre429WithRetryAfter() {
        ArmApi limited = new ArmApi(sim, 2, ArmRules.strict(),
                new ApiRateLimiter(clock, java.util.Set.of(io.crossjobs.mockcloud.sim.Cloud.AZURE)));
        limited.handle("PUT", ArmBodies.VNET_PATH, V, null, ArmBodies.vnet("eastus"), BASE);
        assertEquals(201, limited.handle("PUT", RG_PATH + "/vm-1", V, null, vmBody("Regular", null), BASE).status());
        String diagnostics = RG_PATH + "/vm-1/retrieveBootDiagnosticsData";
        for (int i = 0; i < 36; i++) {
            assertEquals(200, limited.handle("POST", diagnostics, V, null, null, BASE).status(), "call " + (i + 1));
        }

        ArmResponse refused = limited.handle("POST", diagnostics, V, null, null, BASE);
        assertEquals(429, refused.status());
        assertEquals("OperationNotAllowed", refused.json().at("/error/code").asText());
        assertEquals("5", refused.headers().get("Retry-After"), "12 a minute: a token every 5 s");
        advance(5000);
        assertEquals(200, limited.handle("POST", diagnostics, V, null, null, BASE).status());
    }

    @Test
    void listPagesWithNextLinkAndDeleteGoesAway() {
        for (int i = 0; i < 3; i++) put("vm-" + i, vmBody("Regular", null));
        ArmResponse first = arm.handle("GET", RG_PATH, V, null, null, BASE);
        assertEquals(2, first.json().get("value").size());
        String next = first.json().get("nextLink").asText();
        assertTrue(next.startsWith(BASE + RG_PATH.substring(1) + "?api-version=2025-04-01"), next);
        ArmResponse second = arm.handle("GET", RG_PATH, Map.of("api-version", "2025-04-01", "$skiptoken", "2"), null, null, BASE);
        assertEquals(1, second.json().get("value").size());
        assertFalse(second.json().has("nextLink"));
        assertEquals("vm-2", second.json().at("/value/0/name").asText());

        advance(1100);
        ArmResponse deleting = arm.handle("DELETE", RG_PATH + "/vm-0", V, null, null, BASE);
        assertEquals(202, deleting.status());
        String op = deleting.headers().get("Azure-AsyncOperation");
        assertEquals("InProgress", poll(op).json().get("status").asText());
        assertEquals("Deleting", get("vm-0").json().at("/properties/provisioningState").asText());
        advance(1100);
        assertEquals("Succeeded", poll(op).json().get("status").asText());
        assertEquals(404, get("vm-0").status());
        assertEquals("ResourceNotFound", get("vm-0").json().at("/error/code").asText());
        assertEquals(204, arm.handle("DELETE", RG_PATH + "/vm-0", V, null, null, BASE).status());
    }

    @Test
    void faultsAreSynchronousOrInsideTheOperation() {
        sim.faults().add(new FaultSpec("azure", "eastus", null, null, null, 1, "SkuNotAvailable", null, null));
        ArmResponse refused = put("vm-a", vmBody("Regular", null));
        assertEquals(409, refused.status());
        assertEquals("SkuNotAvailable", refused.json().at("/error/code").asText());
        assertTrue(refused.json().at("/error/message").asText().contains("Standard_D2s_v5"));

        sim.faults().add(new FaultSpec("azure", null, null, null, null, 1, "AllocationFailed", null, null));
        ArmResponse accepted = put("vm-b", vmBody("Regular", null));
        assertEquals(201, accepted.status());
        JsonNode op = poll(accepted.headers().get("Azure-AsyncOperation")).json();
        assertEquals("Failed", op.get("status").asText());
        assertEquals("AllocationFailed", op.at("/error/code").asText());
        assertEquals("Failed", get("vm-b").json().at("/properties/provisioningState").asText());
        assertTrue(sim.list().isEmpty(), "nothing was allocated");

        // a named in-operation action turns any code into an operation failure; a PUT again retries the create
        sim.faults().add(new FaultSpec("azure", null, null, null, "virtualMachines.createOrUpdate.async", 1,
                "InternalExecutionError", null, null));
        assertEquals("Failed", poll(put("vm-c", vmBody("Regular", null)).headers().get("Azure-AsyncOperation"))
                .json().get("status").asText());
        assertEquals(201, put("vm-c", vmBody("Regular", null)).status());
        assertEquals(1, sim.list().size());

        sim.faults().add(new FaultSpec("azure", null, null, null, "virtualMachines.list", 1, "TooManyRequests", null, null));
        ArmResponse throttled = arm.handle("GET", RG_PATH, V, null, null, BASE);
        assertEquals(429, throttled.status());
        assertEquals("1", throttled.headers().get("Retry-After"));
        assertEquals(400, arm.handle("GET", RG_PATH, Map.of(), null, null, BASE).status(), "api-version is required");
    }

    @Test
    void spotEvictionDeletesOrDeallocatesByPolicy() {
        put("spot-del", vmBody("Spot", "Delete"));
        put("spot-dealloc", vmBody("Spot", "Deallocate"));
        advance(1100);
        for (var vm : sim.list()) sim.preempt(vm.id(), Duration.ZERO);
        advance(1100);

        assertEquals(404, get("spot-del").status(), "Delete policy: the VM is gone without a delete request");
        JsonNode deallocated = arm.handle("GET", RG_PATH + "/spot-dealloc", Map.of("api-version", "2025-04-01",
                "$expand", "instanceView"), null, null, BASE).json();
        assertEquals("Succeeded", deallocated.at("/properties/provisioningState").asText());
        assertEquals("PowerState/deallocated", codes(deallocated).get(1));
        assertEquals("Spot", deallocated.at("/properties/priority").asText());

        assertEquals(200, arm.handle("DELETE", RG_PATH + "/spot-dealloc", V, null, null, BASE).status());
        assertEquals(404, get("spot-dealloc").status());
    }

    @Test
    void serialLogIsABlobReadableByRange() {
        put("vm-log", vmBody("Regular", null));
        advance(1100);
        advance(100);
        JsonNode diag = arm.handle("POST", RG_PATH + "/vm-log/retrieveBootDiagnosticsData", V, null, null, BASE).json();
        String uri = diag.get("serialConsoleLogBlobUri").asText();
        assertTrue(uri.startsWith(BASE + "bootdiagnostics/"), uri);
        String path = uri.substring(BASE.length() - 1, uri.indexOf('?'));

        ArmResponse whole = arm.handle("GET", path, Map.of(), null, null, BASE);
        assertEquals(200, whole.status());
        String text = new String(whole.bytes(), StandardCharsets.UTF_8);
        assertTrue(text.contains("##crossjobs:run-exit=0##"), text);
        ArmResponse tail = arm.handle("GET", path, Map.of(), "bytes=3-", null, BASE);
        assertEquals(206, tail.status());
        assertEquals(text.substring(3), new String(tail.bytes(), StandardCharsets.UTF_8));
        assertEquals(416, arm.handle("GET", path, Map.of(), "bytes=" + whole.bytes().length + "-", null, BASE).status());
    }

    private ArmResponse put(String name, String body) {
        return arm.handle("PUT", RG_PATH + "/" + name, V, null, body, BASE);
    }

    private ArmResponse get(String name) {
        return arm.handle("GET", RG_PATH + "/" + name, V, null, null, BASE);
    }

    private ArmResponse poll(String url) {
        String path = url.substring(BASE.length() - 1, url.indexOf('?'));
        return arm.handle("GET", path, V, null, null, BASE);
    }

    private void advance(long ms) {
        clock.advance(Duration.ofMillis(ms));
        sim.tick();
    }

    private static List<String> codes(JsonNode vm) {
        List<String> codes = new ArrayList<>();
        vm.at("/properties/instanceView/statuses").forEach(s -> codes.add(s.get("code").asText()));
        return codes;
    }

    private static String vmBody(String priority, String eviction) {
        return ArmBodies.vm("#!/bin/bash\necho hi\n", ",\"priority\":\"" + priority + "\""
                + (eviction == null ? "" : ",\"evictionPolicy\":\"" + eviction + "\""));
    }
}

package io.crossjobs.mockcloud.gce;

import io.crossjobs.mockcloud.sim.EchoRunner;
import io.crossjobs.mockcloud.sim.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.crossjobs.mockcloud.sim.FaultSpec;
import io.crossjobs.mockcloud.sim.SimulatorSettings;
import io.crossjobs.mockcloud.sim.VmSimulator;

/** The GCE front end on a hand-driven simulator: Google's JSON in, Google's JSON out. */
class GceApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String P = "proj-1";
    private static final String Z = "us-central1-a";

    private final MutableClock clock = new MutableClock();
    private final VmSimulator sim = new VmSimulator(SimulatorSettings.defaults(), clock, new EchoRunner());
    private final GceApi api = new GceApi(sim);

    @AfterEach
    void close() {
        sim.close();
    }

    @Test
    void insertAnswersAnOperationAndTheInstanceBootsThroughGcesStatuses() {
        JsonNode op = api.insert(P, Z, null, body("vm-1", "SPOT", "#!/bin/bash\necho hi\n", "owner", "me"));

        assertEquals("compute#operation", op.get("kind").asText());
        assertEquals("insert", op.get("operationType").asText());
        assertEquals("RUNNING", op.get("status").asText());
        assertEquals(GceApi.BASE + "projects/proj-1/zones/us-central1-a/instances/vm-1", op.get("targetLink").asText());
        JsonNode vm = api.get(P, Z, "vm-1");
        assertEquals("PROVISIONING", vm.get("status").asText());
        assertEquals(op.get("targetId").asText(), vm.get("id").asText());
        assertEquals(GceApi.BASE + "projects/proj-1/zones/us-central1-a/machineTypes/e2-small",
                vm.get("machineType").asText());
        assertEquals("me", vm.get("labels").get("owner").asText());
        assertEquals("SPOT", vm.get("scheduling").get("provisioningModel").asText());
        assertTrue(vm.get("scheduling").get("preemptible").asBoolean());
        assertEquals("startup-script", vm.get("metadata").get("items").get(0).get("key").asText());
        assertTrue(vm.get("networkInterfaces").get(0).get("networkIP").asText().startsWith("10."));

        clock.advance(Duration.ofMillis(600));
        assertEquals("STAGING", api.get(P, Z, "vm-1").get("status").asText());
        clock.advance(Duration.ofMillis(500));
        sim.tick();
        assertEquals("RUNNING", api.get(P, Z, "vm-1").get("status").asText());
        assertEquals("DONE", api.getOperation(P, Z, op.get("name").asText()).get("status").asText());
        assertEquals("DONE", api.waitOperation(P, Z, op.get("name").asText()).get("status").asText());
    }

    @Test
    void requestIdReplaysTheOperationAndADuplicateNameIsAConflict() {
        JsonNode first = api.insert(P, Z, "6f1c1b8e-0000-4000-8000-000000000001", body("vm-1", null, "", null, null));
        JsonNode again = api.insert(P, Z, "6f1c1b8e-0000-4000-8000-000000000001", body("vm-1", null, "", null, null));

        assertEquals(first.get("name"), again.get("name"));
        assertEquals(1, sim.list().size());
        GceError dup = assertThrows(GceError.class, () -> api.insert(P, Z, null, body("vm-1", null, "", null, null)));
        assertEquals(409, dup.status());
        assertEquals("alreadyExists", dup.body().get("error").get("errors").get(0).get("reason").asText());
    }

    @Test
    void badInputIsAGoogleStyleErrorNamingTheField() {
        GceError name = assertThrows(GceError.class, () -> api.insert(P, Z, null, body("Bad_Name", null, "", null, null)));
        assertEquals(400, name.status());
        assertTrue(name.getMessage().contains("resource.name"), name.getMessage());
        GceError label = assertThrows(GceError.class, () -> api.insert(P, Z, null, body("vm-2", null, "", "Owner", "x")));
        assertTrue(label.getMessage().contains("resource.labels"), label.getMessage());
        JsonNode body = label.body().get("error");
        assertEquals(400, body.get("code").asInt());
        assertEquals("invalid", body.get("errors").get(0).get("reason").asText());
        assertThrows(GceError.class, () -> api.list(P, "nowhere", null, null, null));
        assertEquals(404, assertThrows(GceError.class, () -> api.get(P, Z, "vm-9")).status());
    }

    @Test
    void listFiltersByLabelPagesAndAggregatesByZone() {
        for (int i = 0; i < 3; i++) api.insert(P, Z, null, body("a-" + i, null, "", "team", "red"));
        api.insert(P, "europe-west4-b", null, ((com.fasterxml.jackson.databind.node.ObjectNode) body("b-0", null, "", "team", "red"))
                .put("machineType", "e2-small"));
        api.insert(P, Z, null, body("c-0", null, "", "team", "blue"));

        JsonNode page1 = api.list(P, Z, "labels.team = \"red\"", 2, null);
        assertEquals(2, page1.get("items").size());
        JsonNode page2 = api.list(P, Z, "labels.team=red", 2, page1.get("nextPageToken").asText());
        assertEquals(1, page2.get("items").size());
        assertFalse(page2.has("nextPageToken"));
        assertEquals(3, api.list(P, Z, "(labels.team = \"red\") AND (name = \"a-*\") AND (labels.team != \"blue\")",
                null, null).get("items").size());

        JsonNode agg = api.aggregatedList(P, "labels.team = \"red\"", null, null);
        assertEquals(3, agg.get("items").get("zones/us-central1-a").get("instances").size());
        assertEquals(1, agg.get("items").get("zones/europe-west4-b").get("instances").size());
        assertEquals(0, api.aggregatedList("other-project", null, null, null).get("items").size());
        assertThrows(GceError.class, () -> api.list(P, Z, "labels.team = red OR labels.team = blue", null, null));
    }

    @Test
    void serialPortReadsByByteOffset() {
        api.insert(P, Z, null, body("vm-1", null, "#!/bin/bash\nprintf 'é'\n", null, null));
        clock.advance(Duration.ofSeconds(2));
        sim.tick();

        JsonNode whole = api.serialPort(P, Z, "vm-1", 1, 0L);
        String text = whole.get("contents").asText();
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        assertEquals("0", whole.get("start").asText());
        assertEquals(Integer.toString(bytes), whole.get("next").asText());
        JsonNode tail = api.serialPort(P, Z, "vm-1", 1, 12L);
        assertEquals(text.substring(12), tail.get("contents").asText());
        JsonNode none = api.serialPort(P, Z, "vm-1", 1, (long) bytes);
        assertEquals("", none.get("contents").asText());
        assertEquals(none.get("start").asText(), none.get("next").asText());
    }

    @Test
    void deleteStopsTheInstanceThenItIsGone() {
        api.insert(P, Z, null, body("vm-1", null, "", null, null));
        JsonNode op = api.delete(P, Z, "vm-1", null);

        assertEquals("delete", op.get("operationType").asText());
        assertEquals("STOPPING", api.get(P, Z, "vm-1").get("status").asText());
        clock.advance(Duration.ofSeconds(2));
        sim.tick();
        assertEquals(404, assertThrows(GceError.class, () -> api.get(P, Z, "vm-1")).status());
        assertEquals(0, api.list(P, Z, null, null, null).get("items").size());
        assertEquals("DONE", api.getOperation(P, Z, op.get("name").asText()).get("status").asText());
        api.insert(P, Z, null, body("vm-1", null, "", null, null));   // the name is free again
    }

    @Test
    void preemptionStopsTheSpotInstanceAndLeavesASystemEvent() {
        api.insert(P, Z, null, body("vm-1", "SPOT", "", null, null));
        String id = api.get(P, Z, "vm-1").get("id").asText();
        sim.preempt(id, Duration.ZERO);

        assertEquals("STOPPING", api.get(P, Z, "vm-1").get("status").asText());
        clock.advance(Duration.ofSeconds(2));
        sim.tick();
        assertEquals("TERMINATED", api.get(P, Z, "vm-1").get("status").asText(), "GCE keeps a preempted VM, stopped");
        JsonNode ops = api.listOperations(P, Z, "operationType = \"compute.instances.preempted\"", null, null);
        assertEquals(1, ops.get("items").size());
        JsonNode event = ops.get("items").get(0);
        assertEquals(id, event.get("targetId").asText());
        assertEquals("DONE", event.get("status").asText());
        assertEquals(event, api.getOperation(P, Z, event.get("name").asText()));
    }

    @Test
    void faultsFailSynchronouslyOrInsideTheOperationByTheFormOfTheirCode() {
        sim.faults().add(new FaultSpec("gcp", null, null, null, null, 1, "quotaExceeded", null, "Quota 'CPUS' exceeded."));
        GceError sync = assertThrows(GceError.class, () -> api.insert(P, Z, null, body("vm-1", null, "", null, null)));
        assertEquals(403, sync.status());
        assertEquals("quotaExceeded", sync.body().get("error").get("errors").get(0).get("reason").asText());
        assertEquals("usageLimits", sync.body().get("error").get("errors").get(0).get("domain").asText());

        sim.faults().add(new FaultSpec("gcp", "us-central1", Z, null, null, 1, "ZONE_RESOURCE_POOL_EXHAUSTED", null, null));
        JsonNode op = api.insert(P, Z, null, body("vm-1", null, "", null, null));
        assertEquals("DONE", op.get("status").asText());
        assertEquals("ZONE_RESOURCE_POOL_EXHAUSTED", op.get("error").get("errors").get(0).get("code").asText());
        assertEquals(503, op.get("httpErrorStatusCode").asInt());
        assertTrue(sim.list().isEmpty(), "a failed insert makes no VM");

        sim.faults().add(new FaultSpec("gcp", null, null, null, "instances.aggregatedList", 1, "rateLimitExceeded", null, null));
        assertEquals(403, assertThrows(GceError.class, () -> api.aggregatedList(P, null, null, null)).status());
        sim.faults().add(new FaultSpec("gcp", null, null, null, "instances.list", 1, "backendError", 503, null));
        assertEquals(503, assertThrows(GceError.class, () -> api.list(P, Z, null, null, null)).status());
    }

    private static JsonNode body(String name, String model, String script, String labelKey, String labelValue) {
        var b = JSON.createObjectNode().put("name", name).put("machineType", "zones/" + Z + "/machineTypes/e2-small");
        if (labelKey != null) b.putObject("labels").put(labelKey, labelValue);
        if (model != null) b.putObject("scheduling").put("provisioningModel", model);
        b.putObject("metadata").putArray("items").addObject().put("key", "startup-script").put("value", script);
        b.putArray("networkInterfaces").addObject().put("network", "global/networks/default");
        return b;
    }
}

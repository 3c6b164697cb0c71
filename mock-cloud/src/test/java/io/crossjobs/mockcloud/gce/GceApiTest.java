package io.crossjobs.mockcloud.gce;

import io.crossjobs.mockcloud.limits.ApiRateLimiter;
import io.crossjobs.mockcloud.sim.EchoRunner;
import io.crossjobs.mockcloud.sim.Cloud;
import io.crossjobs.mockcloud.sim.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
    void readsBeyondTheRegionsPerMinuteQuotaAreRateLimitExceededUntilTheNextMinute() {
        GceApi limited = new GceApi(sim, GceRules.strict(), new ApiRateLimiter(clock, java.util.Set.of(Cloud.GCP)));
        limited.insert(P, Z, null, body("vm-1", null, "", null, null));
        for (int i = 0; i < 1_500; i++) limited.get(P, Z, "vm-1");

        GceError refused = assertThrows(GceError.class, () -> limited.get(P, Z, "vm-1"));
        assertEquals(403, refused.status());
        assertEquals("rateLimitExceeded", refused.reason());
        limited.list(P, "us-east1-b", null, null, null);      // another region, another group: not counted with these
        clock.advance(Duration.ofMinutes(1));
        limited.get(P, Z, "vm-1");
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
    void serialPortShowsTheScriptsLinesAsTheGuestAgentLogsThemByByteOffset() {
        api.insert(P, Z, null, body("vm-1", null, "#!/bin/bash\nprintf 'é'\n", null, null));
        clock.advance(Duration.ofSeconds(2));
        sim.tick();

        JsonNode whole = api.serialPort(P, Z, "vm-1", 1, 0L);
        String text = whole.get("contents").asText();
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(text.contains(" vm-1 google_metadata_script_runner["), text);
        assertTrue(text.contains("]: startup-script: #!/bin/bash\r\n"), text);
        assertEquals("0", whole.get("start").asText());
        assertEquals(Integer.toString(bytes), whole.get("next").asText());
        JsonNode tail = api.serialPort(P, Z, "vm-1", 1, 12L);
        assertEquals(text.substring(12), tail.get("contents").asText());
        JsonNode none = api.serialPort(P, Z, "vm-1", 1, (long) bytes);
        assertEquals("", none.get("contents").asText());
        assertEquals(none.get("start").asText(), none.get("next").asText());
        JsonNode raw = new GceApi(sim, GceRules.strict().relax(GceRules.Check.SERIAL_PORT_GUEST_AGENT))
                .serialPort(P, Z, "vm-1", 1, 0L);
        assertEquals("#!/bin/bash\nprintf 'é'\n", raw.get("contents").asText());
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

    @ParameterizedTest
    @EnumSource(value = GceRules.Check.class, names = {"DELETE_ON_PREEMPTION", "SERIAL_PORT_GUEST_AGENT",
            "SERIAL_PORT_BUFFER"}, mode = EnumSource.Mode.EXCLUDE)
    void eachRefusalIsGoneOnceItsSettingIsOff(GceRules.Check check) {
        ObjectNode refused = refusedBy(check);
        assertThrows(GceError.class, () -> api.insert(P, refused.path("zone").asText(Z), null, refused));

        GceApi relaxed = new GceApi(sim, GceRules.strict().relax(check));
        JsonNode op = relaxed.insert(P, refused.path("zone").asText(Z), null, refused);
        assertEquals("insert", op.get("operationType").asText());
        for (GceRules.Check other : GceRules.Check.values()) {
            if (other == check || !isRefusal(other)) continue;
            ObjectNode stillRefused = refusedBy(other);
            assertThrows(GceError.class, () -> relaxed.insert(P, stillRefused.path("zone").asText(Z), null, stillRefused),
                    "relaxing " + check + " keeps " + other);
        }
    }

    @Test
    void extraAcceleratorTypesAreOfferedToo() {
        ObjectNode t4 = gpuBody("vm-extra", "n1-standard-8", "us-west1-c", "TERMINATE");
        assertThrows(GceError.class, () -> api.insert(P, "us-west1-c", null, t4));
        GceApi wider = new GceApi(sim, GceRules.strict().withExtraAcceleratorTypes(List.of("us-west1-c/nvidia-tesla-t4")));

        wider.insert(P, "us-west1-c", null, t4);

        assertTrue(wider.acceleratorTypes(P, "us-west1-c").toString().contains("nvidia-tesla-t4"));
        assertThrows(IllegalArgumentException.class,
                () -> new GceApi(sim, GceRules.strict().withExtraAcceleratorTypes(List.of("nvidia-tesla-t4"))));
    }

    @Test
    void withDeleteOnPreemptionOffAPreemptedDeleteVmStaysTerminated() {
        GceApi keeping = new GceApi(sim, GceRules.strict().relax(GceRules.Check.DELETE_ON_PREEMPTION));
        ObjectNode spot = (ObjectNode) body("vm-1", "SPOT", "", null, null);
        ((ObjectNode) spot.get("scheduling")).put("instanceTerminationAction", "DELETE");
        keeping.insert(P, Z, null, spot);
        api.insert(P, Z, null, ((ObjectNode) spot.deepCopy()).put("name", "vm-2"));
        sim.preempt(keeping.get(P, Z, "vm-1").get("id").asText(), Duration.ZERO);
        sim.preempt(api.get(P, Z, "vm-2").get("id").asText(), Duration.ZERO);
        clock.advance(Duration.ofSeconds(2));
        sim.tick();

        assertEquals("TERMINATED", keeping.get(P, Z, "vm-1").get("status").asText());
        assertEquals(404, assertThrows(GceError.class, () -> api.get(P, Z, "vm-2")).status());
        assertEquals(2, api.listOperations(P, Z, "operationType = \"compute.instances.preempted\"", null, null)
                .get("items").size(), "the system events stay");
    }

    /** A body strict GCE refuses for {@code check} alone, to send to the zone in its {@code zone} field (else Z). */
    private static ObjectNode refusedBy(GceRules.Check check) {
        return switch (check) {
            case ACCELERATOR_TYPES_BY_ZONE -> gpuBody("r-zone", "n1-standard-8", "us-west1-c", "TERMINATE");
            case GPU_MACHINE_SERIES -> gpuBody("r-series", "e2-standard-4", Z, "TERMINATE");
            case GPU_HOST_MAINTENANCE -> gpuBody("r-migrate", "n1-standard-8", Z, null);
            case SPOT_SCHEDULING -> {
                ObjectNode b = (ObjectNode) body("r-spot", "SPOT", "", null, null);
                ((ObjectNode) b.get("scheduling")).put("onHostMaintenance", "MIGRATE");
                yield b;
            }
            case DISK_AT_LEAST_IMAGE_SIZE -> {
                ObjectNode b = (ObjectNode) body("r-disk", null, "", null, null);
                b.putArray("disks").addObject().put("boot", true).putObject("initializeParams")
                        .put("sourceImage", "projects/debian-cloud/global/images/family/debian-12").put("diskSizeGb", "5");
                yield b;
            }
            case METADATA_SIZE_LIMITS -> (ObjectNode) body("r-meta", null, "x".repeat(GceMetadata.MAX_VALUE_BYTES + 1),
                    null, null);
            case DELETE_ON_PREEMPTION, SERIAL_PORT_GUEST_AGENT, SERIAL_PORT_BUFFER ->
                    throw new IllegalArgumentException("not a refusal");
        };
    }

    private static boolean isRefusal(GceRules.Check check) {
        return check != GceRules.Check.DELETE_ON_PREEMPTION && check != GceRules.Check.SERIAL_PORT_GUEST_AGENT
                && check != GceRules.Check.SERIAL_PORT_BUFFER;
    }

    private static ObjectNode gpuBody(String name, String machineType, String zone, String onHostMaintenance) {
        ObjectNode b = (ObjectNode) body(name, null, "", null, null);
        b.put("machineType", "zones/" + zone + "/machineTypes/" + machineType);
        b.putArray("guestAccelerators").addObject()
                .put("acceleratorType", "zones/" + zone + "/acceleratorTypes/nvidia-tesla-t4").put("acceleratorCount", 1);
        if (onHostMaintenance != null) b.putObject("scheduling").put("onHostMaintenance", onHostMaintenance);
        if (!zone.equals(Z)) b.put("zone", zone);
        return b;
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

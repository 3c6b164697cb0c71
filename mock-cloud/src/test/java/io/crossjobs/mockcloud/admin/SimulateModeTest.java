package io.crossjobs.mockcloud.admin;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * mock-cloud as the benchmark and the chaos suite run it (simulate mode), driven over the GCE REST API: a VM
 * labelled {@code crossjobs-role=controller} runs its startup script as a real process, the others are simulated,
 * and the inventory shows and filters by each VM's role.
 */
@QuarkusTest
@TestProfile(SimulateModeTest.SimulateWorkloads.class)
class SimulateModeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ZONE_PATH = "/compute/v1/projects/proj-sim/zones/us-central1-a/instances";
    private static final String SCRIPT = "#!/bin/bash\nexport CROSSJOBS_SIM_DURATION_MS=60000\n"
            + "echo \"really running as $MOCK_CLOUD_INSTANCE_ID\"\nsleep 60\n";

    public static class SimulateWorkloads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mock-cloud.simulate-workloads", "true");
        }
    }

    @Test
    void theControllersVmRunsForRealAndTheInventoryShowsEachVmsRole() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String controller = "controller-vm-" + suffix;
        String job = "job-vm-" + suffix;
        String untagged = "untagged-vm-" + suffix;
        insert(controller, "controller");
        insert(job, "job");
        insert(untagged, null);

        Map<String, Object> running = await().atMost(WAIT).until(() -> item(inventory(null), controller),
                i -> i != null && i.get("workloadPid") != null);
        assertEquals("controller", running.get("role"));
        String id = (String) running.get("id");
        await().atMost(WAIT).until(() -> console(id).contains("really running as " + id));

        Map<String, Object> simulated = await().atMost(WAIT).until(() -> item(inventory(null), job),
                i -> i != null && "running".equals(i.get("state")) && console((String) i.get("id")).contains(
                        "[mock-cloud] simulated workload"));
        assertEquals("job", simulated.get("role"));
        assertNull(simulated.get("workloadPid"), "a job's workload is simulated: no process");
        Map<String, Object> none = item(inventory(null), untagged);
        assertNotNull(none);
        assertNull(none.get("role"));
        assertNull(none.get("workloadPid"));

        List<Map<String, Object>> controllers = inventory("controller");
        assertNotNull(item(controllers, controller));
        assertNull(item(controllers, job));
        assertNull(item(controllers, untagged));
        List<Map<String, Object>> jobs = inventory("job");
        assertNotNull(item(jobs, job));
        assertNull(item(jobs, controller));
        assertNull(item(jobs, untagged));
        given().queryParam("role", "boss").get("/mock/inventory").then().statusCode(400)
                .body("error", containsString("job"));

        for (String name : List.of(controller, job, untagged)) {
            given().delete(ZONE_PATH + "/" + name).then().statusCode(200);
        }
        await().atMost(WAIT).until(() -> ProcessHandle.of(((Number) running.get("workloadPid")).longValue())
                .map(p -> !p.isAlive()).orElse(true));
    }

    private static void insert(String name, String role) {
        StringBuilder body = new StringBuilder("{\"name\":\"").append(name)
                .append("\",\"machineType\":\"e2-small\",");
        if (role != null) body.append("\"labels\":{\"crossjobs-role\":\"").append(role).append("\"},");
        body.append("\"metadata\":{\"items\":[{\"key\":\"startup-script\",\"value\":")
                .append(quoted(SCRIPT)).append("}]}}");
        given().contentType(ContentType.JSON).body(body.toString()).post(ZONE_PATH).then().statusCode(200);
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static List<Map<String, Object>> inventory(String role) {
        var request = given().queryParam("cloud", "gcp");
        if (role != null) request.queryParam("role", role);
        List<Map<String, Object>> items = request.get("/mock/inventory").then().statusCode(200).extract().jsonPath()
                .getList("$");
        assertTrue(role == null || items.stream().allMatch(i -> role.equals(i.get("role"))), items.toString());
        return items;
    }

    private static Map<String, Object> item(List<Map<String, Object>> items, String name) {
        return items.stream().filter(i -> name.equals(i.get("name"))).findFirst().orElse(null);
    }

    private static String console(String id) {
        return given().get("/mock/instances/" + id + "/console").asString();
    }
}

package io.crossjobs.stack;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** mock-cloud's inventory: which VMs are alive, so a test can prove nothing leaked. */
final class MockCloudClient {
    private final String base;

    MockCloudClient(StackConfig config) {
        this.base = "http://127.0.0.1:" + config.mockCloudPort();
    }

    /** Instances of the job that are pending or running. */
    List<Map<String, Object>> aliveInstancesOf(String jobId) {
        List<Map<String, Object>> alive = given().baseUri(base).queryParam("alive", true)
                .when().get("/mock/inventory").then().statusCode(200).extract().jsonPath().getList("$");
        return alive.stream().filter(i -> jobId.equals(tags(i).get(io.crossjobs.events.CloudTags.JOB_ID))).toList();
    }

    /** Every instance the job ever had, whatever its state. */
    List<Map<String, Object>> instancesOf(String jobId) {
        List<Map<String, Object>> all = given().baseUri(base)
                .when().get("/mock/inventory").then().statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(i -> jobId.equals(tags(i).get(io.crossjobs.events.CloudTags.JOB_ID))).toList();
    }

    /** The next {@code count} launches in the zone fail with the cloud error code. */
    void failLaunches(String cloud, String zone, String errorCode, int count) {
        given().baseUri(base).contentType("application/json")
                .body(Map.of("cloud", cloud, "zone", zone, "errorCode", errorCode, "count", count))
                .when().post("/mock/faults").then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    void preempt(String instanceId) {
        given().baseUri(base).when().post("/mock/instances/" + instanceId + "/preempt")
                .then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    void clearFaults() {
        given().baseUri(base).when().delete("/mock/faults").then().statusCode(org.hamcrest.Matchers.lessThan(300));
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> tags(Map<String, Object> instance) {
        Object tags = instance.get("tags");
        return tags instanceof Map ? (Map<String, String>) tags : Map.of();
    }
}

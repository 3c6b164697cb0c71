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

    @SuppressWarnings("unchecked")
    private static Map<String, String> tags(Map<String, Object> instance) {
        Object tags = instance.get("tags");
        return tags instanceof Map ? (Map<String, String>) tags : Map.of();
    }
}

package io.crossjobs.jobapi.rest;

import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enumerates the API from its own OpenAPI document, so an endpoint added later is checked without editing this
 * test: each one, called without a token or with an unknown one, answers 401 problem+json. Only the
 * {@code /q/*} operability endpoints are open; a controller VM's bootstrap call takes its one-time token in place of
 * an API token, and refuses everything else the same way.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class EveryEndpointNeedsATokenTest {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    @Test
    void everyDocumentedOperationRefusesCallsWithoutAValidToken() {
        Map<String, Map<String, Object>> paths = JsonPath.from(given().accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString()).getMap("paths");
        List<String> checked = new ArrayList<>();
        paths.forEach((path, operations) -> operations.keySet().stream().filter(METHODS::contains).forEach(method -> {
            String concrete = path.replaceAll("\\{[^}]+}", "1");
            for (RequestSpecification caller : List.of(given(), given().header("Authorization", "Bearer cj_unknown"),
                    given().header("Authorization", "Basic YWRtaW46YWRtaW4="), given().header("Authorization", "Bearer "))) {
                Response r = caller.contentType("application/json").body("{}").request(method, concrete);
                assertEquals(401, r.statusCode(), method + " " + concrete + ": " + r.asString());
                assertTrue(r.contentType().startsWith("application/problem+json"), method + " " + concrete);
                assertEquals("Bearer", r.header("WWW-Authenticate"), method + " " + concrete);
            }
            checked.add(method.toUpperCase() + " " + path);
        }));
        System.out.println("endpoints checked for 401 without a valid token (" + checked.size() + "): " + checked);

        for (String expected : List.of("POST /jobs", "GET /jobs", "GET /jobs/{id}", "GET /jobs/{id}/events",
                "GET /jobs/{id}/tasks", "GET /jobs/{id}/logs", "GET /jobs/stream", "POST /jobs/{id}/cancel", "POST /jobs/cancel",
                "POST /tokens", "GET /tokens", "DELETE /tokens/{id}", "POST /webhooks", "GET /webhooks",
                "DELETE /webhooks/{id}", "GET /webhooks/{id}/deliveries", "GET /controller", "GET /cost",
                "POST /controller/migrate", "GET /controller/bootstrap")) {
            assertTrue(checked.contains(expected), expected + " is missing from the OpenAPI document: " + checked);
        }
    }

    @Test
    void onlyOperabilityEndpointsAreOpen() {
        for (String open : List.of("/q/health", "/q/health/ready", "/q/health/live", "/q/openapi", "/q/metrics")) {
            assertEquals(200, given().get(open).statusCode(), open);
        }
        given().get("/jobs/1/logs?follow=true").then().statusCode(401);
    }
}

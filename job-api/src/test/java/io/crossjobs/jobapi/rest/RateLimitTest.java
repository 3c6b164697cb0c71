package io.crossjobs.jobapi.rest;

import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.crossjobs.jobapi.TestEvents.as;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A token that calls too often gets 429 with Retry-After; another token, or an admin's, is not slowed down by it. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
@TestProfile(RateLimitTest.Slow.class)
class RateLimitTest {

    public static class Slow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // one call per 100 s after a burst of 5: the test cannot be refilled by its own slowness
            return Map.of("jobapi.rate-limit.enabled", "true", "jobapi.rate-limit.requests-per-second", "0.01", "jobapi.rate-limit.burst", "5");
        }
    }

    @Test
    void aTokenOverItsBudgetIsAnswered429UntilItRefills() {
        String token = asAdmin().contentType(ContentType.JSON).body("{\"user\":\"hasty\"}").post("/tokens")
                .then().statusCode(201).extract().path("token");
        for (int i = 0; i < 5; i++) as(token).get("/jobs").then().statusCode(200);

        Response refused = as(token).get("/jobs");

        assertEquals(429, refused.statusCode(), refused.asString());
        assertTrue(refused.contentType().startsWith("application/problem+json"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 100, "Retry-After " + retryAfter);
        refused.then().body("type", equalTo("urn:crossjobs:problem:rate-limited")).body("status", equalTo(429));
        as(token).contentType("application/yaml").body("run: echo x".getBytes()).post("/jobs").then().statusCode(429);

        String other = asAdmin().contentType(ContentType.JSON).body("{\"user\":\"patient\"}").post("/tokens")
                .then().statusCode(201).extract().path("token");
        as(other).get("/jobs").then().statusCode(200);
        for (int i = 0; i < 10; i++) asAdmin().get("/jobs").then().statusCode(200);   // admins are not limited
    }
}

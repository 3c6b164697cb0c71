package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.crossjobs.jobapi.TestEvents.as;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The controller's status to every token and its migration to admins only, OpenAPI, Prometheus metrics. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class OperabilityTest {

    @Test
    void theControllerStatusNeedsATokenAndSaysWhenNoKeeperRuns() {
        asAdmin().get("/controller").then().statusCode(200).contentType(ContentType.JSON)
                .body("state", equalTo("DISABLED")).body("configured.cloud", equalTo("aws"));
        asAdmin().contentType(ContentType.JSON).body("{\"cloud\":\"gcp\"}").post("/controller/migrate")
                .then().statusCode(409);
        given().get("/controller").then().statusCode(401);
    }

    @Test
    void onlyAnAdminMigratesTheController() {
        String user = asAdmin().contentType(ContentType.JSON).body("{\"user\":\"gina\"}").post("/tokens")
                .then().statusCode(201).extract().path("token");
        as(user).get("/controller").then().statusCode(200);
        as(user).contentType(ContentType.JSON).body("{}").post("/controller/migrate").then().statusCode(403);
    }

    @Test
    void openApiAndMetricsAreServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/jobs/{id}/logs"));
        TestEvents.submit("metrics-demo");
        given().get("/q/metrics").then().statusCode(200).body(containsString("jobapi_submissions_total"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("jobapi_jobs{status=\"PENDING\"}"))
                .body(containsString("jobapi_outbox_lag_seconds")));
    }
}

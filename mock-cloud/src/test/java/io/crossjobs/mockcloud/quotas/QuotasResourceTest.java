package io.crossjobs.mockcloud.quotas;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The admin API raises or lowers a quota, as an approved increase request would, and lists limits and usage. */
@QuarkusTest
class QuotasResourceTest {

    @AfterEach
    void reset() {
        given().delete("/mock/quotas").then().statusCode(204);
    }

    @Test
    void aQuotaIsSetListedAndResetToTheAccountsDefault() {
        given().queryParam("cloud", "aws").queryParam("region", "us-east-1").get("/mock/quotas").then()
                .statusCode(200)
                .body("find { it.metric == 'L-DB2E81BA' }.limit", equalTo(0.0f))
                .body("find { it.metric == 'L-DB2E81BA' }.name", equalTo("Running On-Demand G and VT instances"))
                .body("find { it.metric == 'L-1216C47A' }.limit", equalTo(1000.0f));

        given().contentType("application/json")
                .body("{\"cloud\":\"aws\",\"region\":\"us-east-1\",\"metric\":\"L-DB2E81BA\",\"limit\":64}")
                .put("/mock/quotas").then().statusCode(200);
        given().queryParam("cloud", "aws").queryParam("region", "us-east-1").get("/mock/quotas").then()
                .body("find { it.metric == 'L-DB2E81BA' }.limit", equalTo(64.0f));
        given().queryParam("cloud", "aws").queryParam("region", "us-west-2").get("/mock/quotas").then()
                .body("find { it.metric == 'L-DB2E81BA' }.limit", equalTo(0.0f));

        given().queryParam("cloud", "gcp").queryParam("region", "us-central1").get("/mock/quotas").then()
                .body("scope", hasItem("global"))
                .body("find { it.metric == 'GPUS_ALL_REGIONS' }.limit", equalTo(0.0f));

        given().contentType("application/json").body("{\"cloud\":\"aws\",\"metric\":\"L-DB2E81BA\",\"limit\":-1}")
                .put("/mock/quotas").then().statusCode(400);
        given().get("/mock/quotas").then().statusCode(400);
    }
}

package io.crossjobs.jobapi.rest;

import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** The three requests the fuzz test found answered 500: each is now a 400 naming what is wrong. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class RequestSyntaxTest {

    @Test
    void aNulCharacterInAQueryParameterIsRefused() {
        asAdmin().urlEncodingEnabled(false).get("/jobs?owner=%00&name=ok").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", equalTo(List.of("owner")));
    }

    @Test
    void aContentTypeThatIsNotAMediaTypeIsRefused() {
        asAdmin().config(RestAssuredConfig.config().encoderConfig(
                        EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("Content-Type", "yaml").body("run: echo".getBytes(StandardCharsets.UTF_8))
                .post("/jobs").then().statusCode(400).body("errors.field", equalTo(List.of("Content-Type")));
    }

    @Test
    void envsHoldingAnObjectAreRefusedNamingTheField() {
        asAdmin().contentType("application/json").body("{\"run\":\"x\",\"envs\":{\"A\":{\"b\":1}}}")
                .post("/jobs").then().statusCode(400).body("errors.field", hasItem("envs.A"));
    }
}

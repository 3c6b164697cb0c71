package io.crossjobs.jobapi.check;

import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CheckAccount;
import io.crossjobs.events.CheckAspect;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.EventType;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code crossjobs check} through job-api on real Kafka and PostgreSQL, the provisioners played by records: the
 * question reaches each cloud's command topic through the outbox, the answers come back on provision-events and
 * show as one line per cloud.
 */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class AccountChecksTest {
    private static final String PROVISIONER = "/crossjobs/provisioner-test";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @jakarta.inject.Inject
    AccountChecks checks;

    @Test
    void eachCloudIsAskedAndItsAnswerShowsAsOneLineReadyOrWithTheFirstGapAndItsFix() {
        JsonPath started = TestEvents.asAdmin().contentType(ContentType.JSON).body("{}").post("/checks")
                .then().statusCode(202).extract().jsonPath();
        String checkId = started.getString("checkId");
        assertEquals(List.of("aws", "azure", "gcp"), started.getList("clouds.cloud"));
        assertEquals(List.of("PENDING", "PENDING", "PENDING"), started.getList("clouds.state"));
        for (String cloud : List.of("aws", "azure", "gcp")) {
            var records = TestEvents.awaitRecords(bootstrap, Topics.provisionCommands(cloud), checkId, 1);
            assertEquals(new CheckAccount(checkId, cloud), EventCodec.decode(
                    EventType.ofCeType(TestEvents.header(records.get(0), "ce_type")).orElseThrow(), records.get(0).value()));
        }

        AccountChecked aws = new AccountChecked(checkId, "aws", Instant.now(), List.of(
                AccountChecked.Finding.ok(CheckAspect.CREDENTIALS, "account 000000000000"),
                AccountChecked.Finding.ok(CheckAspect.PERMISSIONS, "all 14 granted")));
        AccountChecked gcp = new AccountChecked(checkId, "gcp", Instant.now(), List.of(
                AccountChecked.Finding.ok(CheckAspect.CREDENTIALS, "project p"),
                AccountChecked.Finding.failed(CheckAspect.PERMISSIONS, "compute.instances.create is not granted",
                        "grant the role in README \"Running on real clouds\""),
                AccountChecked.Finding.failed(CheckAspect.QUOTAS, "CPUS 0 in us-central1", "request an increase")));
        send(aws);
        send(gcp);
        send(gcp);

        JsonPath check = await().atMost(Duration.ofSeconds(30)).until(() -> TestEvents.asAdmin()
                .get("/checks/" + checkId).then().statusCode(200).extract().jsonPath(),
                c -> !"PENDING".equals(c.getString("clouds.find { it.cloud == 'gcp' }.state")));
        assertEquals("READY", check.getString("clouds.find { it.cloud == 'aws' }.state"));
        assertEquals("aws: enabled — credentials: account 000000000000; permissions: all 14 granted",
                check.getString("clouds.find { it.cloud == 'aws' }.line"));
        assertEquals("NOT_READY", check.getString("clouds.find { it.cloud == 'gcp' }.state"));
        assertEquals("gcp: disabled — permissions: compute.instances.create is not granted. Fix: grant the role in"
                        + " README \"Running on real clouds\" (1 more not ready: quotas)",
                check.getString("clouds.find { it.cloud == 'gcp' }.line"));
        assertEquals(3, check.getList("clouds.find { it.cloud == 'gcp' }.findings").size());
        assertEquals("PENDING", check.getString("clouds.find { it.cloud == 'azure' }.state"));
        assertTrue(check.getString("clouds.find { it.cloud == 'azure' }.line").contains("provisioner-azure"));
    }

    @Test
    void onlyAnAdminChecksAnUnknownCloudIsRefusedAndAnUnknownCheckIsNotFound() {
        TestEvents.as(TestEvents.userToken("checker")).contentType(ContentType.JSON).body("{}").post("/checks")
                .then().statusCode(403);
        TestEvents.asAdmin().contentType(ContentType.JSON).body("{\"clouds\":[\"aws\",\"mars\"]}").post("/checks")
                .then().statusCode(400).body(containsString("clouds")).body(containsString("mars"));
        TestEvents.asAdmin().get("/checks/check-nothing").then().statusCode(404);

        String checkId = TestEvents.asAdmin().contentType(ContentType.JSON).body("{\"clouds\":[\"azure\"]}")
                .post("/checks").then().statusCode(202).extract().path("checkId");
        assertEquals(List.of("azure"), TestEvents.asAdmin().get("/checks/" + checkId).then().statusCode(200)
                .extract().jsonPath().getList("clouds.cloud"));
    }

    @Test
    void aCheckIsForgottenAfterItsRetention() {
        String checkId = TestEvents.asAdmin().contentType(ContentType.JSON).body("{\"clouds\":[\"gcp\"]}")
                .post("/checks").then().statusCode(202).extract().path("checkId");

        assertEquals(0, checks.purgeAsked(Instant.now().minus(Duration.ofDays(7))).await().indefinitely());
        TestEvents.asAdmin().get("/checks/" + checkId).then().statusCode(200);
        assertTrue(checks.purgeAsked(Instant.now().plusSeconds(1)).await().indefinitely() >= 1);
        TestEvents.asAdmin().get("/checks/" + checkId).then().statusCode(404);
    }

    private void send(AccountChecked answer) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().fromRecords(TestEvents.record(Topics.PROVISION_EVENTS, PROVISIONER, answer))
                    .awaitCompletion(Duration.ofSeconds(30));
        }
    }
}

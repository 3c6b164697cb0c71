package io.crossjobs.jobapi.rest;

import io.agroal.api.AgroalDataSource;
import io.crossjobs.events.EventCodec;
import io.crossjobs.events.JobSubmitted;
import io.crossjobs.events.SecretSealer;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.TestEvents;
import io.crossjobs.testsupport.KafkaAndPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import static io.crossjobs.jobapi.TestEvents.header;
import static io.crossjobs.jobapi.TestEvents.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SkyPilot task YAML over HTTP: pipelines, sealed secrets, every bad field at once, size limit, idempotency. */
@QuarkusTest
@QuarkusTestResource(KafkaAndPostgresResource.class)
class SubmitYamlTest {
    private static final String PIPELINE = """
            name: train-eval
            ---
            name: train
            resources:
              infra: aws/us-east-1
              accelerators: {A100:8, H100:8}
              use_spot: true
              job_recovery: {strategy: FAILOVER, max_restarts_on_errors: 2}
            secrets:
              HF_TOKEN: hf-very-secret
            run: python train.py
            ---
            name: eval
            resources:
              ordered: [{infra: gcp}, {infra: azure}]
            run: python eval.py
            """;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "crossjobs.secrets.key")
    String secretsKey;

    @Inject
    AgroalDataSource db;

    /** REST Assured has no YAML encoder; the bytes go as they are. */
    private static byte[] bytes(String yaml) {
        return yaml.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPipelineYamlIsOneJobOfOrderedTasksWithSealedSecrets() throws Exception {
        String response = asAdmin().contentType("application/yaml").body(bytes(PIPELINE))
                .when().post("/jobs")
                .then().statusCode(201)
                .body("name", equalTo("train-eval"))
                .body("taskCount", equalTo(2))
                .body("secrets.HF_TOKEN", equalTo("<redacted>"))
                .body("resources.cloud", equalTo("aws"))
                .body("resources.jobRecovery.strategy", equalTo("FAILOVER"))
                .extract().asString();
        assertFalse(response.contains("hf-very-secret"), response);
        String id = io.restassured.path.json.JsonPath.from(response).getString("id");

        List<ConsumerRecord<String, String>> records = TestEvents.awaitRecords(bootstrap, Topics.JOB_REQUESTS, id, 1);
        assertFalse(records.get(0).value().contains("hf-very-secret"), "the event carries the secret sealed only");
        JobSubmitted event = (JobSubmitted) EventCodec.decode(header(records.get(0), "ce_type"), records.get(0).value());
        assertEquals(List.of("train", "eval"), event.tasks().stream().map(t -> t.name()).toList());
        assertEquals(List.of("A100:8", "H100:8"), event.tasks().get(0).resources().accelerators());
        assertEquals(List.of("gcp", "azure"), event.tasks().get(1).resources().ordered().stream()
                .map(r -> r.cloud()).toList());
        String sealed = event.tasks().get(0).secrets().get("HF_TOKEN");
        assertTrue(sealed.startsWith("v1:"), sealed);
        assertEquals("hf-very-secret", SecretSealer.fromBase64Key(secretsKey).unseal(sealed));
        assertEquals(0, TestEvents.count(db, "select count(*) from jobs where task_json like '%hf-very-secret%' "
                + "or tasks_json like '%hf-very-secret%'"));

        asAdmin().get("/jobs/" + id).then().statusCode(200)
                .body(not(containsString("hf-very-secret"))).body("secrets.HF_TOKEN", equalTo("<redacted>"));
    }

    @Test
    void everyBadFieldIsListedAndNothingIsStored() throws Exception {
        long jobs = TestEvents.count(db, "select count(*) from jobs");
        asAdmin().contentType("text/yaml").body(bytes("""
                workdir: .
                num_nodes: 0
                resources:
                  infra: kubernetes
                  cpus: lots
                  use_spto: true
                run: echo hi
                """))
                .when().post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:crossjobs:problem:invalid-input"))
                .body("errors.field", hasItems("workdir", "num_nodes", "resources.infra", "resources.cpus",
                        "resources.use_spto"))
                .body("errors.size()", equalTo(5));
        asAdmin().contentType("application/yaml").body(bytes("run: [unclosed"))
                .when().post("/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:crossjobs:problem:malformed-yaml"));
        assertEquals(jobs, TestEvents.count(db, "select count(*) from jobs"));
    }

    @Test
    void aBodyOverTheLimitIs413() {
        asAdmin().contentType("application/yaml").body(bytes("run: echo " + "x".repeat(1_100_000)))
                .when().post("/jobs")
                .then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameJob() throws Exception {
        String key = UUID.randomUUID().toString();
        String first = asAdmin().contentType("application/yaml").header("Idempotency-Key", key).body(bytes("run: echo once"))
                .when().post("/jobs").then().statusCode(201).extract().path("id");
        asAdmin().contentType("application/yaml").header("Idempotency-Key", key).body(bytes("run: echo once"))
                .when().post("/jobs").then().statusCode(200).body("id", equalTo(first))
                .header("Location", containsString("/jobs/" + first));
        assertEquals(1, TestEvents.count(db, "select count(*) from outbox where job_id = '" + first + "'"));
        asAdmin().contentType("application/yaml").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(bytes("run: echo once")).when().post("/jobs").then().statusCode(201)
                .body("id", not(equalTo(first)));
    }
}

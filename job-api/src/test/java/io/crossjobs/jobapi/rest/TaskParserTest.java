package io.crossjobs.jobapi.rest;

import io.crossjobs.events.JobRecovery;
import io.crossjobs.events.Resources;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.MalformedBodyException;
import io.crossjobs.jobapi.service.ParsedJob;
import io.crossjobs.jobapi.service.TaskFormat;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SkyPilot task YAML (and the same as JSON) → TaskSpecs, or one error naming every bad field. */
class TaskParserTest {
    private static ValidatorFactory factory;
    private static TaskParser parser;

    @BeforeAll
    static void parser() {
        factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
        parser = new TaskParser(factory.getValidator());
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void everySupportedFieldOfATaskYamlIsMapped() {
        ParsedJob job = yaml("""
                name: train
                num_nodes: 2
                resources:
                  infra: aws/us-east-1
                  instance_type: p4d.24xlarge
                  cpus: 4+
                  memory: 32
                  accelerators: [A100:8, V100:8]
                  use_spot: true
                  disk_size: 256
                  disk_tier: medium
                  job_recovery:
                    strategy: failover
                    max_restarts_on_errors: 3
                    recover_on_exit_codes: 33
                envs:
                  EPOCHS: 10
                  DEBUG: true
                secrets:
                  HF_TOKEN: hf-abc
                setup: pip install torch
                run: |
                  python train.py --epochs $EPOCHS
                """);
        assertEquals("train", job.name());
        TaskSpec task = job.tasks().get(0);
        assertEquals(2, task.numNodes());
        assertEquals(Map.of("EPOCHS", "10", "DEBUG", "true"), task.envs());
        assertEquals(Map.of("HF_TOKEN", "hf-abc"), task.secrets());
        assertEquals("pip install torch", task.setup());
        assertEquals("python train.py --epochs $EPOCHS\n", task.run());
        Resources r = task.resources();
        assertEquals(List.of("aws", "us-east-1"), List.of(r.cloud(), r.region()));
        assertNull(r.zone());
        assertEquals("p4d.24xlarge", r.instanceType());
        assertEquals("4+", r.cpus());
        assertEquals("32", r.memory());
        assertEquals(List.of("A100:8", "V100:8"), r.accelerators());
        assertTrue(r.acceleratorsInOrder(), "a list is a preference order");
        assertTrue(r.spot());
        assertEquals(256, r.diskSizeGb());
        assertEquals(new JobRecovery(JobRecovery.FAILOVER, 3, List.of(33)), r.jobRecovery());
    }

    @Test
    void acceleratorsAndRecoveryInEachSpelling() {
        Resources set = resources("accelerators: {A100:8, V100:8}");
        assertEquals(List.of("A100:8", "V100:8"), set.accelerators());
        assertFalse(set.acceleratorsInOrder(), "a set means any, cheapest first");
        assertEquals(List.of("A100:8", "H100:4"), resources("accelerators: {A100: 8, H100: 4}").accelerators());
        assertEquals(List.of("H100:8"), resources("accelerators: H100:8").accelerators());
        assertEquals(JobRecovery.EAGER_NEXT_REGION, resources("job_recovery: EAGER_NEXT_REGION").jobRecovery().strategy());
        assertEquals(List.of(1, 2), resources("job_recovery: {recover_on_exit_codes: [1, 2]}").jobRecovery()
                .recoverOnExitCodes());
    }

    @Test
    void infraWildcardsAndTheOlderFields() {
        Resources zone = resources("infra: gcp/us-central1/us-central1-a");
        assertEquals(List.of("gcp", "us-central1", "us-central1-a"), List.of(zone.cloud(), zone.region(), zone.zone()));
        Resources anyCloud = resources("infra: '*/us-east-1'");
        assertNull(anyCloud.cloud());
        assertEquals("us-east-1", anyCloud.region());
        Resources old = resources("{cloud: AZURE, region: eastus}");
        assertEquals(List.of("azure", "eastus"), List.of(old.cloud(), old.region()));
    }

    @Test
    void anyOfAndOrderedHoldAlternatives() {
        Resources anyOf = resources("""
                cpus: 8
                any_of:
                  - infra: aws
                    use_spot: true
                  - infra: gcp/us-central1
                """);
        assertEquals(2, anyOf.anyOf().size());
        assertEquals("gcp", anyOf.anyOf().get(1).cloud());
        assertEquals(Boolean.TRUE, anyOf.anyOf().get(0).useSpot());
        assertNull(anyOf.anyOf().get(1).useSpot(), "left to the enclosing resources");
        Resources ordered = resources("ordered: [{infra: azure}, {infra: aws}]");
        assertEquals(List.of("azure", "aws"), ordered.ordered().stream().map(Resources::cloud).toList());
    }

    @Test
    void aPipelineIsSeveralDocumentsTheFirstNamingIt() {
        ParsedJob job = yaml("""
                name: pipeline
                ---
                name: prepare
                run: echo prepare
                ---
                run: echo train
                """);
        assertEquals("pipeline", job.name());
        assertEquals(List.of("prepare", "task-1"), job.tasks().stream().map(TaskSpec::name).toList());
        assertEquals(List.of("echo prepare", "echo train"), job.tasks().stream().map(TaskSpec::run).toList());

        ParsedJob json = parser.parse("""
                [{"name":"p"},{"run":"a"},{"run":"b","resources":{"infra":"aws"}}]""", TaskFormat.JSON);
        assertEquals("p", json.name());
        assertEquals(2, json.tasks().size());
        assertEquals("aws", json.tasks().get(1).resources().cloud());
    }

    @Test
    void everyBadFieldIsNamedInOneAnswer() {
        List<FieldError> errors = errors("""
                name: 9lives
                colud: aws
                workdir: .
                file_mounts: {/data: ./data}
                num_nodes: many
                resources:
                  infra: k8s/my-context
                  cpus: two
                  image_id: docker:ubuntu
                  ports: 8080
                  labels: {crossjobs-role: mine}
                  disk_tier: high
                  accelerators: [A100:8, "bad name"]
                  any_of:
                    - infra: aws
                      use_spto: true
                  job_recovery: {strategy: SOMETIMES, max_restarts_on_errors: -1}
                envs: {MY-VAR: 1}
                """);
        assertEquals(List.of("colud", "envs.MY-VAR", "file_mounts./data", "name", "num_nodes",
                "resources.accelerators[1]", "resources.any_of[0].use_spto", "resources.cpus", "resources.disk_tier",
                "resources.image_id", "resources.infra", "resources.job_recovery.max_restarts_on_errors",
                "resources.job_recovery.strategy", "resources.labels.crossjobs-role", "resources.ports", "workdir"),
                errors.stream().map(FieldError::field).toList());
        assertTrue(message(errors, "workdir").contains("is a local path: upload it first"), message(errors, "workdir"));
        assertTrue(message(errors, "resources.infra").contains("not supported yet"), message(errors, "resources.infra"));
        assertTrue(message(errors, "resources.image_id").contains("not supported yet"));
        assertEquals("'many' is not an integer", message(errors, "num_nodes"));
    }

    @Test
    void aScriptTooLargeForEveryCloudTheTaskMayUseIsRefusedNamingTheLimits() {
        String run = "echo " + "x".repeat(20_000);
        List<FieldError> errors = errors("resources: {infra: aws}\nrun: " + run + "\n");
        assertEquals(List.of("run"), errors.stream().map(FieldError::field).toList());
        assertTrue(message(errors, "run").contains("aws 16384"), message(errors, "run"));

        // a GCE metadata value and Azure's customData take it: accepted, and the controller places it there
        assertEquals(run, yaml("resources: {any_of: [{infra: aws}, {infra: gcp}]}\nrun: " + run + "\n")
                .tasks().get(0).run());
        assertEquals(run, yaml("run: " + run + "\n").tasks().get(0).run());

        List<FieldError> azure = errors("resources: {infra: azure}\nsetup: echo " + "y".repeat(40_000)
                + "\nrun: echo " + "z".repeat(30_000) + "\n");
        assertEquals(List.of("setup"), azure.stream().map(FieldError::field).toList());
        assertTrue(message(azure, "setup").contains("(bytes: azure 65535)"), message(azure, "setup"));
    }

    @Test
    void skyPilotFieldsCrossjobsLacksAreNamedAsNotSupported() {
        List<FieldError> errors = errors("""
                run: x
                service: {readiness_probe: /}
                resources: {autostop: 10}
                """);
        assertEquals(List.of("resources.autostop", "service"), errors.stream().map(FieldError::field).toList());
        assertTrue(errors.stream().allMatch(e -> e.message().contains("not supported yet")), errors.toString());
    }

    @Test
    void pipelineErrorsNameTheirDocument() {
        List<FieldError> errors = errors("""
                name: p
                ---
                run: ok
                ---
                resources: {cloud: ibm}
                num_nodes: 0
                """);
        assertEquals(List.of("doc[2].num_nodes", "doc[2].resources.cloud"),
                errors.stream().map(FieldError::field).toList());
    }

    @Test
    void malformedOrEmptyBodies() {
        assertThrows(MalformedBodyException.class, () -> parser.parse("run: [unclosed", TaskFormat.YAML));
        assertThrows(MalformedBodyException.class, () -> parser.parse("{\"run\":\"a\",\"run\":\"b\"}", TaskFormat.JSON));
        assertEquals(List.of(new FieldError("body", "a task is required")),
                assertThrows(InvalidInputException.class, () -> parser.parse("", TaskFormat.YAML)).errors());
        assertEquals("body", assertThrows(InvalidInputException.class,
                () -> parser.parse("just a string", TaskFormat.YAML)).errors().get(0).field());
    }

    private static ParsedJob yaml(String body) {
        return parser.parse(body, TaskFormat.YAML);
    }

    private static Resources resources(String yaml) {
        String body = yaml.strip().startsWith("{") ? " " + yaml.strip() : "\n  " + yaml.strip().replace("\n", "\n  ");
        return yaml("run: x\nresources:" + body + "\n").tasks().get(0).resources();
    }

    private static List<FieldError> errors(String body) {
        return assertThrows(InvalidInputException.class, () -> yaml(body)).errors();
    }

    private static String message(List<FieldError> errors, String field) {
        return errors.stream().filter(e -> e.field().equals(field)).findFirst().orElseThrow().message();
    }
}

package io.crossjobs.jobapi.rest;

import io.crossjobs.events.Resources;
import io.crossjobs.events.TaskSpec;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.service.InvalidInputException;
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

/**
 * One test per form of SkyPilot's task schema (sky/utils/schemas.py: get_task_schema, get_resources_schema) for the
 * fields crossjobs claims: each is accepted and mapped, or refused exactly where SkyPilot refuses it too.
 */
class SkyPilotSchemaFormsTest {
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

    // ------------------------------------------------------------------ accelerators

    @Test
    void acceleratorsAsOneString() {
        assertEquals(List.of("A100:2"), resources("accelerators: A100:2").accelerators());
        assertEquals(List.of("H100"), resources("accelerators: H100").accelerators());
        assertEquals(List.of("tpu-v2-8:0.5"), resources("accelerators: tpu-v2-8:0.5").accelerators());
    }

    @Test
    void acceleratorsAsAMapOfNameToCount() {
        Resources r = resources("accelerators: {A100: 2, V100: 4}");
        assertEquals(List.of("A100:2", "V100:4"), r.accelerators());
        assertFalse(r.acceleratorsInOrder(), "a map is a set: any of them, cheapest first");
    }

    @Test
    void acceleratorsAsAMapWithANullCountMeanOne() {
        // get_resources_schema: additionalProperties anyOf null or number; from_yaml_config writes f'{k}' for None
        assertEquals(List.of("A100", "V100:2"), resources("accelerators: {A100: null, V100: 2}").accelerators());
        assertEquals(List.of("L4"), resources("accelerators:\n    L4:\n").accelerators());
    }

    @Test
    void acceleratorsAsAYamlSetOfStrings() {
        Resources r = resources("accelerators: {L4:1, H100:1, A100:1}");
        assertEquals(List.of("L4:1", "H100:1", "A100:1"), r.accelerators());
        assertFalse(r.acceleratorsInOrder());
    }

    @Test
    void acceleratorsAsAListOfStringsAreAPreferenceOrder() {
        Resources r = resources("accelerators: ['L4:1', 'H100:1', A100]");
        assertEquals(List.of("L4:1", "H100:1", "A100"), r.accelerators());
        assertTrue(r.acceleratorsInOrder());
    }

    @Test
    void aListOfOneEntryMapsOrAMixedListIsRefusedAsSkyPilotsSchemaRefusesIt() {
        // get_resources_schema: the array form's items are {'type': 'string'}; "- A100: 1" is a map in YAML
        List<FieldError> maps = errors("resources:\n  accelerators:\n    - A100: 1\n    - V100: 2\nrun: x\n");
        assertEquals(List.of("resources.accelerators[0]"), fields(maps).subList(0, 1));
        assertTrue(maps.get(0).message().contains("no space after ':'"), maps.get(0).message());

        List<FieldError> mixed = errors("resources:\n  accelerators: [A100:1, {V100: 2}]\nrun: x\n");
        assertEquals(List.of("resources.accelerators[1]"), fields(mixed));
    }

    @Test
    void acceleratorsOfAnAlternativeAsAStringOrAOneEntryMap() {
        Resources r = resources("any_of:\n    - {infra: aws, accelerators: A100:8}\n"
                + "    - {infra: gcp, accelerators: {H100: 8}}");
        assertEquals(List.of("A100:8"), r.anyOf().get(0).accelerators());
        assertEquals(List.of("H100:8"), r.anyOf().get(1).accelerators());
    }

    // ------------------------------------------------------------------ cpus, memory, disk, spot

    @Test
    void cpusAsANumberOrAString() {
        assertEquals("4", resources("cpus: 4").cpus());
        assertEquals("0.5", resources("cpus: 0.5").cpus());
        assertEquals("4+", resources("cpus: 4+").cpus());
        assertEquals("8", resources("cpus: '8'").cpus());
    }

    @Test
    void memoryAsANumberOrAStringInGb() {
        assertEquals("16", resources("memory: 16").memory());
        assertEquals("32+", resources("memory: 32+").memory());
        assertEquals("1.5", resources("memory: 1.5").memory());
    }

    @Test
    void memoryWithAUnitBecomesGb() {
        // SkyPilot's YAML spec, resources.memory: KB, MB, GB, TB, PB (powers of 2^10), case-insensitive
        assertEquals("1", resources("memory: 1024MB").memory());
        assertEquals("64+", resources("memory: 64GB+").memory());
        assertEquals("0.5", resources("memory: 512mb").memory());
        assertEquals("2048", resources("memory: 2TB").memory());
        assertEquals(List.of("resources.memory"), fields(errors("resources: {memory: 4 GiB}\nrun: x\n")));
    }

    @Test
    void diskSizeAsAnIntegerOrWithAUnit() {
        assertEquals(256, resources("disk_size: 256").diskSizeGb());
        assertEquals(256, resources("disk_size: 256GB").diskSizeGb());
        assertEquals(1024, resources("disk_size: 1tb").diskSizeGb());
        // "rounded down (floored) to the nearest gigabyte" (SkyPilot's YAML spec, resources.disk_size)
        assertEquals(1, resources("disk_size: 1500MB").diskSizeGb());

        assertEquals(List.of("resources.disk_size"), fields(errors("resources: {disk_size: 1.5}\nrun: x\n")));
        List<FieldError> zero = errors("resources: {disk_size: 500MB}\nrun: x\n");
        assertEquals(List.of("resources.disk_size"), fields(zero));
        assertTrue(zero.get(0).message().contains("is 0 GB"), zero.get(0).message());
        assertEquals(List.of("resources.disk_size"), fields(errors("resources: {disk_size: 100TB}\nrun: x\n")));
        // past a long's range (the fuzzer's case, once a 500): refused like any other size too large
        List<FieldError> huge = errors("resources: {disk_size: " + "9".repeat(40) + "}\nrun: x\n");
        assertEquals(List.of("resources.disk_size"), fields(huge));
        assertTrue(huge.get(0).message().contains("is " + "9".repeat(40) + " GB"), huge.get(0).message());
    }

    @Test
    void useSpotAsABoolean() {
        assertTrue(resources("use_spot: true").spot());
        assertFalse(resources("use_spot: false").spot());
    }

    // ------------------------------------------------------------------ envs, secrets, setup, run

    @Test
    void envsOfNumbersAndBooleansBecomeStrings() {
        TaskSpec task = task("envs: {EPOCHS: 3, RATE: 0.5, DEBUG: true, NAME: x}\nrun: x\n");
        assertEquals(Map.of("EPOCHS", "3", "RATE", "0.5", "DEBUG", "true", "NAME", "x"), task.envs());
    }

    @Test
    void aNullEnvIsRefusedSayingToGiveItAtLaunch() {
        // sky/task.py from_yaml_config: "Environment variable ... is None. Please set a value for it in task YAML or
        // with --env flag." (SkyPilot PR 3557)
        List<FieldError> errors = errors("envs:\n  HF_TOKEN:\n  MODEL: llama\nrun: x\n");
        assertEquals(List.of("envs.HF_TOKEN"), fields(errors));
        assertTrue(errors.get(0).message().contains("--env NAME=VALUE"), errors.get(0).message());
    }

    @Test
    void aNullSecretIsRefusedSayingToGiveItAtLaunch() {
        List<FieldError> errors = errors("secrets: {WANDB_API_KEY: null}\nrun: x\n");
        assertEquals(List.of("secrets.WANDB_API_KEY"), fields(errors));
        assertTrue(errors.get(0).message().contains("--secret NAME=VALUE"), errors.get(0).message());
    }

    @Test
    void aTaskWithSetupAndNoRunIsAccepted() {
        // get_task_schema requires nothing; without run the node runs setup and ends with exit code 0
        TaskSpec task = task("setup: pip install -r requirements.txt\n");
        assertEquals("pip install -r requirements.txt", task.setup());
        assertNull(task.run());
    }

    // ------------------------------------------------------------------ resources.labels

    @Test
    void labelsOfATaskPinnedToAwsAreEc2Tags() {
        Resources r = resources("infra: aws\n  labels: {Team: ML Research, 'cost:center': '42'}");
        assertEquals(Map.of("Team", "ML Research", "cost:center", "42"), r.labels());
        assertEquals(List.of("resources.labels.aws:owner"),
                fields(errors("resources: {infra: aws, labels: {'aws:owner': me}}\nrun: x\n")));
        List<FieldError> space = errors("resources: {infra: aws, labels: {'my team': ml}}\nrun: x\n");
        assertTrue(space.get(0).message().contains("AWS (EC2)"), space.get(0).message());
    }

    @Test
    void labelsOfATaskPinnedToGcpAreGceLabels() {
        assertEquals(Map.of("team", "ml-research"), resources("infra: gcp/us-central1\n  labels: {team: ml-research}")
                .labels());
        List<FieldError> errors = errors("resources: {infra: gcp, labels: {Team: ml, owner: Alice, 9lives: x}}\nrun: x\n");
        assertEquals(List.of("resources.labels.9lives", "resources.labels.Team", "resources.labels.owner"),
                fields(errors));
        assertTrue(errors.get(0).message().contains("GCP (Compute Engine) label"), errors.get(0).message());
    }

    @Test
    void labelsOfATaskPinnedToAzureAreVmTags() {
        assertEquals(Map.of("Cost Center", "R&D / ML"), resources("cloud: azure\n  labels: {Cost Center: R&D / ML}")
                .labels());
        List<FieldError> errors = errors("resources: {cloud: azure, labels: {'a/b': x}}\nrun: x\n");
        assertEquals(List.of("resources.labels.a/b"), fields(errors));
        assertTrue(errors.get(0).message().contains("Azure tag"), errors.get(0).message());
    }

    @Test
    void labelsOfAnUnpinnedTaskMustSuitEveryCloud() {
        assertEquals(Map.of("team", "ml"), resources("labels: {team: ml}").labels());
        List<FieldError> errors = errors("resources: {labels: {Team: ml}}\nrun: x\n");
        assertEquals(List.of("resources.labels.Team"), fields(errors));
        assertTrue(errors.get(0).message().contains("GCP") && errors.get(0).message().contains("pin a cloud"),
                errors.get(0).message());
        // alternatives that all pin AWS hold the labels to AWS' rules only
        assertEquals(Map.of("Team", "ml"), resources("labels: {Team: ml}\n  any_of: [{infra: aws/us-east-1}, "
                + "{infra: aws/us-west-2}]").labels());
        assertEquals(List.of("resources.labels.Team"),
                fields(errors("resources: {labels: {Team: ml}, any_of: [{infra: aws}, {infra: gcp}]}\nrun: x\n")));
    }

    @Test
    void aLabelMayNotReplaceATagCrossjobsSetsItself() {
        for (String cloud : List.of("aws", "gcp", "azure")) {
            List<FieldError> errors = errors("resources: {infra: " + cloud + ", labels: {crossjobs-job-id: '7'}}\n"
                    + "run: x\n");
            assertEquals(List.of("resources.labels.crossjobs-job-id"), fields(errors), cloud);
            assertTrue(errors.get(0).message().contains("crossjobs sets"), errors.get(0).message());
        }
        assertEquals(List.of("resources.labels.Name"), fields(errors("resources: {infra: aws, labels: {Name: x}}\n"
                + "run: x\n")));
        // Azure tag names are case-insensitive
        assertEquals(List.of("resources.labels.MANAGED-BY"), fields(errors("resources: {infra: azure, labels: "
                + "{MANAGED-BY: me}}\nrun: x\n")));
    }

    @Test
    void tooManyLabelsForTheCloudBesideCrossjobsOwnTags() {
        StringBuilder labels = new StringBuilder("{");
        for (int i = 0; i < 42; i++) labels.append(i == 0 ? "" : ", ").append("k").append(i).append(": v");
        labels.append('}');
        // AWS: 50 tags, crossjobs sets 9 (Name and the node addresses among them): 41 labels at most
        List<FieldError> aws = errors("resources: {infra: aws, labels: " + labels + "}\nrun: x\n");
        assertEquals(List.of("resources.labels"), fields(aws));
        assertTrue(aws.get(0).message().contains("at most 41 labels"), aws.get(0).message());
        // GCE: 64 labels, crossjobs sets 7: these 42 fit
        assertEquals(42, resources("infra: gcp\n  labels: " + labels).labels().size());
    }

    @Test
    void labelsBelongToTheTaskNotToOneAlternativeAndAreStrings() {
        assertEquals(List.of("resources.any_of[0].labels"),
                fields(errors("resources: {any_of: [{infra: aws, labels: {team: ml}}]}\nrun: x\n")));
        assertEquals(List.of("resources.labels.team"), fields(errors("resources: {labels: {team: null}}\nrun: x\n")));
    }

    // ------------------------------------------------------------------ helpers

    private static Resources resources(String fields) {
        return task("resources:\n  " + fields + "\nrun: x\n").resources();
    }

    private static TaskSpec task(String yaml) {
        return parser.parse(yaml, TaskFormat.YAML).tasks().get(0);
    }

    private static List<FieldError> errors(String yaml) {
        return assertThrows(InvalidInputException.class, () -> parser.parse(yaml, TaskFormat.YAML)).errors();
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }
}

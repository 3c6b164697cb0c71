package io.crossjobs.jobapi.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.model.SubmitJobRequest;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input is named as the client wrote it: snake_case JSON paths, map keys and list indexes. */
class FieldErrorsTest {
    // a fresh mapper fails on unknown properties, as job-api's is configured to
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void validator() {
        factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void aValidTaskHasNoViolations() throws Exception {
        assertEquals(List.of(), validate("""
                {"name":"hello","resources":{"cloud":"AWS","region":null,"zone":null,"instance_type":null,
                 "cpus":"2+","memory":"4+","accelerators":"V100:2","use_spot":false,"disk_size":null},
                 "num_nodes":1,"envs":{"K":"V"},"setup":"pip install x","run":"echo hello"}"""));
    }

    @Test
    void violationsAreNamedBySnakeCaseJsonPath() throws Exception {
        List<FieldError> errors = validate("""
                {"name":"9lives","resources":{"cpus":"two","instance_type":"m6i large","disk_size":1.5,
                 "any_of":[{"cpus":"4"},{"memory":"lots"}]},
                 "num_nodes":0,"envs":{"1BAD":"x"}}""");
        assertEquals(List.of("envs.1BAD", "name", "num_nodes", "resources.any_of[1].memory",
                "resources.cpus", "resources.disk_size", "resources.instance_type"),
                errors.stream().map(FieldError::field).toList());
        assertTrue(errors.contains(new FieldError("num_nodes", "must be at least 1")));
    }

    @Test
    void anUnknownFieldIsNamedWithItsPath() {
        MismatchedInputException e = assertThrows(MismatchedInputException.class, () -> JSON.readValue(
                "{\"run\":\"x\",\"resources\":{\"use_spto\":true}}", SubmitJobRequest.class));
        FieldError error = FieldErrors.of(e);
        assertEquals("resources.use_spto", error.field());
        assertTrue(error.message().startsWith("unknown field; known fields: accelerators, any_of, cloud"), error.message());
    }

    @Test
    void aWrongTypeIsNamedWithWhatWasExpected() {
        MismatchedInputException e = assertThrows(MismatchedInputException.class, () -> JSON.readValue(
                "{\"run\":\"x\",\"num_nodes\":\"many\"}", SubmitJobRequest.class));
        assertEquals(new FieldError("num_nodes", "'many' is not an integer"), FieldErrors.of(e));
    }

    @Test
    void resourceMethodParametersAreNamedAsTheClientSeesThem() throws Exception {
        JobResource resource = new JobResource(null, null, null, null, null, validator, null, null, null, null, null);
        var list = JobResource.class.getMethod("list", List.class, String.class, String.class, String.class,
                String.class, Integer.class, String.class, String.class);
        var limit = validator.forExecutables().validateParameters(resource, list,
                new Object[]{null, null, null, null, null, 0, null, null});
        assertEquals(List.of(new FieldError("limit", "must be at least 1")), FieldErrors.of(limit));

    }

    private static List<FieldError> validate(String json) throws Exception {
        return FieldErrors.of(validator.validate(JSON.readValue(json, SubmitJobRequest.class)));
    }
}

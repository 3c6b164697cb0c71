package io.crossjobs.jobapi.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.model.Problem;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.JobNotFoundException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error this API answers is an RFC 9457 problem ({@code application/problem+json}); invalid input
 * lists each bad field in {@code errors}. The {@code type} URIs name the problem kinds stably.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    static final String INVALID_INPUT = "urn:crossjobs:problem:invalid-input";
    static final String MALFORMED_JSON = "urn:crossjobs:problem:malformed-json";
    static final String JOB_NOT_FOUND = "urn:crossjobs:problem:job-not-found";

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        if (FieldErrors.isReturnValueViolation(e.getConstraintViolations())) {
            LOG.errorf(e, "invalid response from %s", uri.getPath());
            return problem("about:blank", "Internal Server Error", 500, "the server produced an invalid response",
                    uri, null);
        }
        return invalid(FieldErrors.of(e.getConstraintViolations()), uri);
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return invalid(e.errors(), uri);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return invalid(List.of(FieldErrors.of(e)), uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return problem(MALFORMED_JSON, "Malformed JSON", 400, "the body is not valid JSON: " + e.getOriginalMessage(),
                uri, null);
    }

    /** JAX-RS' own errors (malformed body, unknown path, wrong method or media type) in the same shape. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (rootCause(e) instanceof JsonProcessingException json) return malformedJson(json, uri);
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) LOG.errorf(e, "request to %s failed", uri.getPath());
        return problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e, UriInfo uri) {
        return problem(JOB_NOT_FOUND, "Job not found", 404, e.getMessage(), uri, null);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        return cause;
    }

    private static Response invalid(List<FieldError> errors, UriInfo uri) {
        String detail = errors.stream().map(f -> f.field() + ": " + f.message())
                .collect(Collectors.joining("; "));
        return problem(INVALID_INPUT, "Invalid input", 400, detail, uri, errors);
    }

    static Response problem(String type, String title, int status, String detail, UriInfo uri,
                            List<FieldError> errors) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, uri.getPath(), errors)).build();
    }
}

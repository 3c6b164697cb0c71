package io.crossjobs.jobapi.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.model.Problem;
import io.crossjobs.jobapi.model.QuotaProblem;
import io.crossjobs.jobapi.quota.QuotaExceededException;
import io.crossjobs.jobapi.quota.QuotaRefusal;
import io.crossjobs.jobapi.service.LimitReachedException;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.JobNotFoundException;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.crossjobs.jobapi.service.MalformedBodyException;
import io.crossjobs.jobapi.service.NotFoundException;
import io.crossjobs.jobapi.service.TaskFormat;
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
    static final String MALFORMED_YAML = "urn:crossjobs:problem:malformed-yaml";
    static final String JOB_NOT_FOUND = "urn:crossjobs:problem:job-not-found";
    static final String UNAUTHORIZED = "urn:crossjobs:problem:unauthorized";
    static final String FORBIDDEN = "urn:crossjobs:problem:forbidden";
    static final String NOT_FOUND = "urn:crossjobs:problem:not-found";
    static final String BODY_TOO_LARGE = "urn:crossjobs:problem:body-too-large";
    static final String RATE_LIMITED = "urn:crossjobs:problem:rate-limited";
    static final String QUOTA_EXCEEDED = "urn:crossjobs:problem:quota-exceeded";
    static final String LIMIT_REACHED = "urn:crossjobs:problem:limit-reached";

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

    @ServerExceptionMapper
    public Response malformedBody(MalformedBodyException e, UriInfo uri) {
        return e.format() == TaskFormat.YAML
                ? problem(MALFORMED_YAML, "Malformed YAML", 400, "the body is not valid YAML: " + e.getMessage(), uri,
                        null)
                : problem(MALFORMED_JSON, "Malformed JSON", 400, "the body is not valid JSON: " + e.getMessage(), uri,
                        null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return problem(FORBIDDEN, "Forbidden", 403, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return problem(NOT_FOUND, "Not Found", 404, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response tooLarge(BodyTooLargeException e, UriInfo uri) {
        return problem(BODY_TOO_LARGE, "Payload Too Large", 413, e.getMessage(), uri, null);
    }

    /** JAX-RS' own errors (malformed body, unknown path, wrong method or media type) in the same shape. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (rootCause(e) instanceof JsonProcessingException json) return malformedJson(json, uri);
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) LOG.errorf(e, "request to %s failed", uri.getPath());
        return problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), e.getMessage(), uri, null);
    }

    /**
     * A submission over a quota: 429 for a quota of live jobs (it passes once some of them end), 403 for the nodes of
     * one job (it never passes); the problem names the quota, its limit, the usage and what was asked.
     */
    @ServerExceptionMapper
    public Response quotaExceeded(QuotaExceededException e, UriInfo uri) {
        QuotaRefusal r = e.refusal();
        int status = r.permanent() ? 403 : 429;
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(new QuotaProblem(QUOTA_EXCEEDED, "Quota exceeded", status, e.getMessage(), uri.getPath(),
                        r.quota(), r.limit(), r.usage(), r.requested())).build();
    }

    /** A cap of the API's own (streams per token, webhooks per user): the problem names it and its limit. */
    @ServerExceptionMapper
    public Response limitReached(LimitReachedException e, UriInfo uri) {
        return Response.status(e.status()).type(Problem.MEDIA_TYPE)
                .entity(new QuotaProblem(LIMIT_REACHED, e.title(), e.status(), e.getMessage(), uri.getPath(),
                        e.limitName(), e.limit(), e.usage(), null)).build();
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

    private static Response invalid(List<FieldError> unsorted, UriInfo uri) {
        // a stable order, whatever found the errors
        List<FieldError> errors = unsorted.stream()
                .sorted(java.util.Comparator.comparing(FieldError::field).thenComparing(FieldError::message)).toList();
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

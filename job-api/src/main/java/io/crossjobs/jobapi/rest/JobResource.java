package io.crossjobs.jobapi.rest;

import io.crossjobs.events.JobStatus;
import io.crossjobs.jobapi.messaging.OutboxRelay;
import io.crossjobs.jobapi.model.JobEventView;
import io.crossjobs.jobapi.model.JobPage;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.model.SubmitJobRequest;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.JobQueryService;
import io.crossjobs.jobapi.service.JobSubmissionService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The jobs API. Errors are RFC 9457 problem details (see {@link ProblemMappers}). */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final JobSubmissionService submissions;
    private final JobQueryService queries;
    private final OutboxRelay relay;
    private final Callers callers;

    public JobResource(JobSubmissionService submissions, JobQueryService queries, OutboxRelay relay, Callers callers) {
        this.submissions = submissions;
        this.queries = queries;
        this.relay = relay;
        this.callers = callers;
    }

    /** 201 with the job and its Location; the JobSubmitted event is published right after the commit. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> submit(@NotNull(message = "a JSON task is required") @Valid SubmitJobRequest body,
                                @Context UriInfo uri) {
        return submissions.submit(body, callers.current())
                .invoke(relay::trigger)
                .map(job -> Response.created(uri.getAbsolutePathBuilder().path(job.id()).build()).entity(job).build());
    }

    /** Newest first. {@code status} may repeat or hold a comma-separated list. */
    @GET
    public Uni<JobPage> list(@QueryParam("status") List<String> status,
                             @QueryParam("limit") @Min(value = 1, message = "must be at least 1")
                             @Max(value = MAX_LIMIT, message = "must be at most " + MAX_LIMIT) Integer limit,
                             @QueryParam("cursor") String cursor) {
        return queries.list(statuses(status), cursor, limit == null ? DEFAULT_LIMIT : limit);
    }

    @GET
    @Path("/{id}")
    public Uni<JobView> get(@PathParam("id") String id) {
        return queries.get(id);
    }

    /** The status history, oldest first. */
    @GET
    @Path("/{id}/events")
    public Uni<List<JobEventView>> events(@PathParam("id") String id) {
        return queries.history(id);
    }

    /** The head node's output of all attempts; {@code tail} keeps the last N lines. */
    @GET
    @Path("/{id}/logs")
    @Produces(MediaType.TEXT_PLAIN + ";charset=UTF-8")
    public Uni<String> logs(@PathParam("id") String id,
                            @QueryParam("tail") @Min(value = 0, message = "must be at least 0") Integer tail) {
        return queries.logs(id, tail);
    }

    /**
     * 202 with the job when it is still running (the CancelRequested event is on its way, once, however
     * often this is called); 200 with the job when it had already finished, since there is nothing to cancel.
     */
    @POST
    @Path("/{id}/cancel")
    public Uni<Response> cancel(@PathParam("id") String id) {
        return submissions.cancel(id, callers.current())
                .invoke(relay::trigger)
                .map(outcome -> Response.status(outcome.accepted() ? Response.Status.ACCEPTED : Response.Status.OK)
                        .entity(outcome.job()).build());
    }

    static Set<JobStatus> statuses(List<String> values) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        if (values == null) return statuses;
        for (String value : values) {
            for (String name : value.split(",")) {
                if (name.isBlank()) continue;
                try {
                    statuses.add(JobStatus.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException("status", "'" + name.trim() + "' is not a job status; one of "
                            + EnumSet.allOf(JobStatus.class));
                }
            }
        }
        return statuses;
    }
}

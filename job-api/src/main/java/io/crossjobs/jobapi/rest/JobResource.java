package io.crossjobs.jobapi.rest;

import io.crossjobs.events.JobStatus;
import io.crossjobs.events.JobStatusChanged;
import io.crossjobs.jobapi.archive.ArchiveRefs;
import io.crossjobs.jobapi.config.JobApiConfig;
import io.crossjobs.jobapi.model.JobEventView;
import io.crossjobs.jobapi.model.JobFilter;
import io.crossjobs.jobapi.model.JobPage;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.model.SubmitJobRequest;
import io.crossjobs.jobapi.model.TaskView;
import io.crossjobs.jobapi.service.Caller;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.LogFollower;
import io.crossjobs.jobapi.service.StreamSlots;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.JobArrays;
import io.crossjobs.jobapi.service.JobIds;
import io.crossjobs.jobapi.service.JobQueryService;
import io.crossjobs.jobapi.service.JobSubmissionService;
import io.crossjobs.jobapi.service.JobUpdates;
import io.crossjobs.jobapi.service.LogAssembler;
import io.crossjobs.jobapi.service.LogSelection;
import io.crossjobs.jobapi.service.ParsedJob;
import io.crossjobs.jobapi.service.SubmissionBatcher;
import io.crossjobs.jobapi.service.TaskSpecMapper;
import io.crossjobs.jobapi.service.UserDataBudget;
import io.crossjobs.jobapi.service.TaskFormat;
import io.crossjobs.service.messaging.OutboxRelay;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** The jobs API. Errors are RFC 9457 problem details (see {@link ProblemMappers}). */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final JobSubmissionService submissions;
    private final SubmissionBatcher batcher;
    private final JobQueryService queries;
    private final OutboxRelay relay;
    private final Callers callers;
    private final TaskParser parser;
    private final JobApiConfig config;
    private final JobUpdates updates;
    private final ArchiveRefs archiveRefs;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final StreamSlots slots;

    public JobResource(JobSubmissionService submissions, SubmissionBatcher batcher, JobQueryService queries,
                       OutboxRelay relay, Callers callers,
                       Validator validator, JobApiConfig config, JobUpdates updates, ArchiveRefs archiveRefs,
                       com.fasterxml.jackson.databind.ObjectMapper json, StreamSlots slots) {
        this.json = json;
        this.slots = slots;
        this.updates = updates;
        this.archiveRefs = archiveRefs;
        this.parser = new TaskParser(validator);
        this.config = config;
        this.submissions = submissions;
        this.batcher = batcher;
        this.queries = queries;
        this.relay = relay;
        this.callers = callers;
    }

    /**
     * A SkyPilot task as JSON (an object, or an array of them for a pipeline). 201 with the job and its
     * Location; 200 with the earlier job when the Idempotency-Key was used before by the same caller.
     * {@code num_jobs=N} (N > 1) makes a job array: N jobs of the task, answered as {@link ArrayAnswer}.
     * {@code keep_on_failure=30m} keeps the cluster of every task that fails for that long, over the tasks' own
     * {@code resources.keep_on_failure}.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = SubmitJobRequest.class)))
    public Uni<Response> submitJson(String body, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                                    @QueryParam("num_jobs") String numJobs,
                                    @QueryParam("keep_on_failure") String keepOnFailure, @Context UriInfo uri) {
        return submit(body, TaskFormat.JSON, new SubmitOptions(idempotencyKey, numJobs, keepOnFailure), uri);
    }

    /** SkyPilot task YAML; several {@code ---} documents make a pipeline. Answers as {@link #submitJson}. */
    @POST
    @Consumes({"application/yaml", "text/yaml", "application/x-yaml"})
    @RequestBody(description = "SkyPilot task YAML; several --- documents make a pipeline",
            content = @Content(mediaType = "application/yaml",
                    schema = @Schema(implementation = SubmitJobRequest.class)))
    public Uni<Response> submitYaml(String body, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                                    @QueryParam("num_jobs") String numJobs,
                                    @QueryParam("keep_on_failure") String keepOnFailure, @Context UriInfo uri) {
        return submit(body, TaskFormat.YAML, new SubmitOptions(idempotencyKey, numJobs, keepOnFailure), uri);
    }

    /** A submission's header and query parameters, as given (null: absent). */
    private record SubmitOptions(String idempotencyKey, String numJobs, String keepOnFailure) { }

    /** A job array as submitted: its id (its rank-0 job's) and its jobs by rank. */
    public record ArrayAnswer(String arrayId, List<JobView> jobs) { }

    private Uni<Response> submit(String body, TaskFormat format, SubmitOptions options, UriInfo uri) {
        String idempotencyKey = options.idempotencyKey();
        if (body != null && body.length() > config.maxBodySize() / 4
                && body.getBytes(StandardCharsets.UTF_8).length > config.maxBodySize()) {
            throw new BodyTooLargeException(config.maxBodySize());
        }
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7E]{1,255}")) {
            throw new InvalidInputException(IDEMPOTENCY_KEY, "must be 1-255 visible ASCII characters");
        }
        int count = arraySize(options.numJobs(), body);
        Long keep = options.keepOnFailure() == null ? null : TaskSpecMapper.duration(options.keepOnFailure(),
                "keep_on_failure", TaskSpecMapper.MAX_KEEP_ON_FAILURE, (field, message) -> {
                    throw new InvalidInputException(field, message);
                });
        ParsedJob parsed = parser.parse(body, format).withKeepOnFailure(keep);
        if (count > 1) {
            String secret = JobArrays.secretNamedLikeItsEnvs(parsed.tasks());
            if (secret != null) {
                throw new InvalidInputException("num_jobs", "an array sets the env " + secret
                        + " of each job, and the task has a secret of that name");
            }
            // the array's envs are part of each node's startup script: the last rank's are the longest
            for (var task : JobArrays.withRank(parsed.tasks(), count - 1, count)) {
                UserDataBudget.problem(task).ifPresent(tooLarge -> {
                    throw new InvalidInputException("num_jobs", "with the array's envs, " + task.name() + "'s "
                            + tooLarge);
                });
            }
        }
        Caller submitter = callers.caller();
        return archiveRefs.resolve(parsed).chain(job -> batcher.submit(job, submitter, idempotencyKey, count))
                .map(s -> {
                    Object entity = count == 1 ? s.job() : new ArrayAnswer(s.job().id(), s.jobs());
                    URI where = count == 1 ? location(uri, s.job().id())
                            : uri.getBaseUriBuilder().path("jobs").queryParam("array", s.job().id()).build();
                    return (s.created() ? Response.created(where) : Response.ok().location(where)).entity(entity).build();
                });
    }

    /** {@code num_jobs}, 1 when absent; 400 naming it when out of range or when the array would store too much. */
    private int arraySize(String numJobsParam, String body) {
        if (numJobsParam == null) return 1;
        long numJobs;
        try {
            numJobs = Long.parseLong(numJobsParam.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("num_jobs", "must be a whole number between 1 and "
                    + config.maxArraySize() + "; was '" + numJobsParam + "'");
        }
        if (numJobs < 1 || numJobs > config.maxArraySize()) {
            throw new InvalidInputException("num_jobs", "must be between 1 and " + config.maxArraySize()
                    + "; was " + numJobs);
        }
        long bodyBytes = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        if (numJobs * bodyBytes > config.maxArrayBytes()) {
            throw new InvalidInputException("num_jobs", "an array of " + numJobs + " copies of this "
                    + bodyBytes + "-byte task would store more than " + config.maxArrayBytes()
                    + " bytes (jobapi.max-array-bytes); submit fewer jobs per array");
        }
        return (int) numJobs;
    }

    private static URI location(UriInfo uri, String id) {
        return uri.getBaseUriBuilder().path("jobs").path(id).build();
    }

    /**
     * Newest first. {@code status} may repeat or hold a comma-separated list; {@code owner} is for admins
     * (other callers always see only their own jobs); {@code array} keeps the jobs of one job array; {@code fields}
     * (comma-separated names of the job's fields) answers each job with those fields only.
     */
    @GET
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JobPage.class)))
    public Uni<Object> list(@QueryParam("status") List<String> status,
                             @QueryParam("name") String name,
                             @QueryParam("cloud") String cloud,
                             @QueryParam("owner") String owner,
                             @QueryParam("array") String array,
                             @QueryParam("limit") @Min(value = 1, message = "must be at least 1")
                             @Max(value = MAX_LIMIT, message = "must be at most " + MAX_LIMIT) Integer limit,
                             @QueryParam("cursor") String cursor,
                             @QueryParam("fields") String fields) {
        JobFields selected = JobFields.parse(fields);
        Caller caller = callers.caller();
        if (owner != null && !caller.admin() && !owner.equals(caller.name())) {
            throw new ForbiddenException("only an admin may list other users' jobs");
        }
        String effectiveOwner = caller.admin() ? owner : caller.name();
        JobFilter filter = new JobFilter(statuses(status), effectiveOwner, name,
                cloud == null ? null : cloud.toLowerCase(Locale.ROOT), array == null ? null : arrayId(array));
        Uni<JobPage> page = queries.list(filter, cursor, limit == null ? DEFAULT_LIMIT : limit);
        if (selected == null) return page.map(p -> p);
        return page.map(p -> new JobFields.Page(p.items().stream().map(j -> selected.select(json, j)).toList(),
                p.nextCursor()));
    }

    /**
     * Cancels the caller's unfinished jobs called {@code name}, those of the job array {@code array}, or all of them
     * with {@code all=true} (an admin's: everyone's). 200 with the ids newly asked to cancel and those asked before.
     */
    @POST
    @Path("/cancel")
    public Uni<JobSubmissionService.CancelMany> cancelMany(@QueryParam("name") String name,
                                                          @QueryParam("array") String array,
                                                          @QueryParam("all") boolean all) {
        int given = (name == null ? 0 : 1) + (array == null ? 0 : 1) + (all ? 1 : 0);
        if (given != 1) {
            throw new InvalidInputException(name != null ? "name" : array != null ? "array" : "all",
                    "give one of name=NAME, array=ID or all=true (cancel one job with POST /jobs/{id}/cancel)");
        }
        JobSubmissionService.CancelScope scope = name != null ? JobSubmissionService.CancelScope.named(name)
                : array != null ? JobSubmissionService.CancelScope.array(arrayId(array))
                : JobSubmissionService.CancelScope.all();
        return submissions.cancelMany(scope, callers.caller()).invoke(relay::trigger);
    }

    private static long arrayId(String array) {
        return JobIds.parse(array).orElseThrow(() -> new InvalidInputException("array",
                "must be a job array's id (the id of its rank-0 job); was '" + array + "'"));
    }

    @GET
    @Path("/{id}")
    public Uni<JobView> get(@PathParam("id") String id) {
        return queries.get(id, callers.caller());
    }

    /** The status history, oldest first. */
    @GET
    @Path("/{id}/events")
    public Uni<List<JobEventView>> events(@PathParam("id") String id) {
        return queries.history(id, callers.caller());
    }

    /** The pipeline's tasks in order (one for a plain job): each one's status, placement, times and attempts. */
    @GET
    @Path("/{id}/tasks")
    public Uni<List<TaskView>> tasks(@PathParam("id") String id) {
        return queries.tasks(id, callers.caller());
    }

    /**
     * One node's output of all attempts ({@code node}: its rank, 0 the head node by default), or with {@code task} of
     * the attempts that ran that pipeline task only; {@code tail} keeps the last N lines. With {@code follow=true}
     * the answer is streamed (chunked text/plain): new output is sent as it arrives, and the stream ends once
     * the job (or the task named) has finished and its last output was sent.
     */
    @GET
    @Path("/{id}/logs")
    @Produces(MediaType.TEXT_PLAIN + ";charset=UTF-8")
    public Multi<String> logs(@PathParam("id") String id,
                              @QueryParam("tail") @Min(value = 0, message = "must be at least 0") Integer tail,
                              @QueryParam("follow") boolean follow,
                              @QueryParam("node") @DefaultValue("0") @Min(value = 0, message = "must be at least 0")
                              int node,
                              @QueryParam("task") @Min(value = 0, message = "must be at least 0") Integer task) {
        LogSelection selection = new LogSelection(node, task);
        Caller caller = callers.caller();
        if (!follow) return queries.logs(id, selection, tail, caller).toMulti();
        return slots.hold(caller, callers.token(), follow(id, selection, tail, caller));
    }

    private Multi<String> follow(String id, LogSelection selection, Integer tail, Caller caller) {
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean finished = new AtomicBoolean();
        LogFollower follower = new LogFollower();
        return queries.logState(id, selection, caller, follower).onItem().transformToMulti(first -> {
            sent.set(first.text().length());
            finished.set(first.finished());
            String head = tail == null ? first.text() : LogAssembler.tail(first.text(), tail);
            if (first.finished()) return Multi.createFrom().item(head);
            Multi<String> more = Multi.createFrom().ticks().every(config.logFollowInterval())
                    .onItem().transformToUniAndConcatenate(t -> queries.logState(id, selection, caller, follower))
                    // the first finished state is still let through: it carries the last lines
                    .select().first(state -> !finished.getAndSet(state.finished()))
                    .map(state -> {
                        String text = state.text();
                        int from = Math.min(sent.getAndSet(text.length()), text.length());
                        return text.substring(from);
                    });
            return Multi.createBy().concatenating().streams(Multi.createFrom().item(head), more)
                    .select().where(chunk -> !chunk.isEmpty());
        });
    }

    /**
     * Server-sent events: each status change of the caller's jobs (an admin's: all jobs) as it is applied,
     * as the JobStatusChanged JSON. Changes from before the connection are in {@code /jobs/{id}/events}.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<JobStatusChanged> stream() {
        return slots.hold(callers.caller(), callers.token(), updates.visibleTo(callers.caller()));
    }

    /**
     * 202 with the job when it is still running (the CancelRequested event is on its way, once, however
     * often this is called); 200 with the job when it had already finished, since there is nothing to cancel.
     */
    @POST
    @Path("/{id}/cancel")
    public Uni<Response> cancel(@PathParam("id") String id) {
        return submissions.cancel(id, callers.caller())
                .invoke(relay::trigger)
                .map(outcome -> Response.status(outcome.accepted() ? Response.Status.ACCEPTED : Response.Status.OK)
                        .entity(outcome.job()).build());
    }

    /**
     * Ends a failed job's debug hold ({@code resources.keep_on_failure}) now: 202 with the job, whose cluster is being
     * terminated; 409 when it holds no cluster (never held, over, or released already).
     */
    @DELETE
    @Path("/{id}/hold")
    public Uni<Response> releaseHold(@PathParam("id") String id) {
        return submissions.releaseHold(id, callers.caller()).invoke(relay::trigger)
                .map(job -> Response.status(Response.Status.ACCEPTED).entity(job).build());
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

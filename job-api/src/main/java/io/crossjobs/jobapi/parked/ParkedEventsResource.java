package io.crossjobs.jobapi.parked;

import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.repository.JobRepository;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.JobIds;
import io.crossjobs.jobapi.service.NotFoundException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;

/**
 * Admins: the records a consumer could not handle ({@code GET /admin/parked-events}, waiting ones; {@code ?all=true}
 * with those replayed), and {@code POST /admin/parked-events/{id}/replay} to send one back to its topic once the
 * cause is fixed.
 */
@Path("/admin/parked-events")
@Produces(MediaType.APPLICATION_JSON)
public class ParkedEventsResource {
    private static final int MAX_LIMIT = 1000;

    private final ParkedEventStore store;
    private final ParkedEventReplayer replayer;
    private final JobRepository jobs;
    private final Callers callers;

    public ParkedEventsResource(ParkedEventStore store, ParkedEventReplayer replayer, JobRepository jobs,
                                Callers callers) {
        this.store = store;
        this.replayer = replayer;
        this.jobs = jobs;
        this.callers = callers;
    }

    @GET
    public Uni<List<ParkedEventView>> list(@QueryParam("all") @DefaultValue("false") boolean all,
                                           @QueryParam("limit") @DefaultValue("100") int limit) {
        requireAdmin();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return store.list(all, limit);
    }

    @GET
    @Path("/{id}")
    public Uni<ParkedEventView> get(@PathParam("id") String id) {
        requireAdmin();
        return found(id);
    }

    /**
     * 202 once Kafka has the record back on its topic. 409 when it was replayed before, or when it is a job
     * request whose job has ended: the controller would take it as new (a submission launched again).
     */
    @POST
    @Path("/{id}/replay")
    public Uni<Response> replay(@PathParam("id") String id) {
        requireAdmin();
        String by = callers.caller().name();
        return found(id).call(this::checkReplayable)
                .call(replayer::replay)
                .call(parked -> store.markReplayed(parked.id(), by, Instant.now()))
                .chain(parked -> store.find(parked.id()))
                .map(replayed -> Response.accepted(replayed).build());
    }

    private Uni<ParkedEventView> found(String id) {
        return store.find(id).onItem().ifNull()
                .failWith(() -> new NotFoundException("no parked event " + id));
    }

    private Uni<Void> checkReplayable(ParkedEventView parked) {
        if (parked.replayedAt() != null) {
            return Uni.createFrom().failure(new WebApplicationException(parked.id() + " was replayed at "
                    + parked.replayedAt() + " by " + parked.replayedBy(), 409));
        }
        if (!Topics.JOB_REQUESTS.equals(parked.originTopic())) return Uni.createFrom().voidItem();
        Long jobId = JobIds.parse(parked.key()).orElse(null);
        if (jobId == null) return Uni.createFrom().voidItem();
        return Panache.withSession(() -> jobs.findById(jobId)).chain((Job job) -> {
            if (job == null || !job.status.isTerminal()) return Uni.createFrom().voidItem();
            return Uni.createFrom().failure(new WebApplicationException("job " + jobId + " has ended ("
                    + job.status + "); replaying its request " + parked.id() + " would act on an ended job", 409));
        });
    }

    private void requireAdmin() {
        if (!callers.caller().admin()) {
            throw new ForbiddenException("only an admin may see or replay parked events: they are every user's");
        }
    }
}

package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.check.AccountChecks;
import io.crossjobs.jobapi.check.CheckView;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.crossjobs.jobapi.service.InvalidInputException;
import io.crossjobs.jobapi.service.TaskSpecMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.TreeSet;

/**
 * {@code crossjobs check} (admins: it reports on the operator's cloud accounts): {@code POST /checks} asks every
 * cloud's provisioner, or those named in {@code clouds}, and answers 202 with each cloud pending;
 * {@code GET /checks/{id}} shows the answers as they arrive.
 */
@Path("/checks")
@Produces(MediaType.APPLICATION_JSON)
public class CheckResource {
    private final AccountChecks checks;
    private final Callers callers;

    public CheckResource(AccountChecks checks, Callers callers) {
        this.checks = checks;
        this.callers = callers;
    }

    public record CheckRequest(List<String> clouds) { }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> start(CheckRequest body) {
        requireAdmin();
        List<String> asked = body == null || body.clouds() == null || body.clouds().isEmpty()
                ? List.copyOf(new TreeSet<>(TaskSpecMapper.CLOUDS)) : body.clouds();
        for (String cloud : asked) {
            if (!TaskSpecMapper.CLOUDS.contains(cloud)) {
                throw new InvalidInputException("clouds", "'" + cloud + "' is not a cloud (aws, gcp, azure)");
            }
        }
        return checks.start(List.copyOf(new TreeSet<>(asked)), callers.current())
                .map(view -> Response.accepted(view).header("Location", "/checks/" + view.checkId()).build());
    }

    @GET
    @Path("/{id}")
    public Uni<CheckView> get(@PathParam("id") String id) {
        requireAdmin();
        return checks.get(id);
    }

    private void requireAdmin() {
        if (!callers.caller().admin()) {
            throw new ForbiddenException("only an admin may check the clouds' accounts: they are the operator's");
        }
    }
}

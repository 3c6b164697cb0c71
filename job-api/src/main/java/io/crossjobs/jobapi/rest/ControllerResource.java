package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.controller.ControllerStatus;
import io.crossjobs.jobapi.controller.ControllerStatusService;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Where the jobs controller runs, as configured and as it is, and moving it (admins). */
@Path("/controller")
@Produces(MediaType.APPLICATION_JSON)
public class ControllerResource {
    private final ControllerStatusService controller;
    private final Callers callers;

    public ControllerResource(ControllerStatusService controller, Callers callers) {
        this.controller = controller;
        this.callers = callers;
    }

    @GET
    public Uni<ControllerStatus> status() {
        return controller.status();
    }

    /**
     * Moves the controller: a VM is launched at the target and the old one stops once the new one serves. Answers
     * 202 with the status at once (its {@code migration} is the move under way); {@code GET /controller} follows it.
     */
    @POST
    @Path("/migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> migrate(MigrateRequest body) {
        if (!callers.caller().admin()) throw new ForbiddenException("only an admin may migrate the controller");
        MigrateRequest request = body == null ? new MigrateRequest(null, null) : body;
        return controller.migrate(request.cloud(), request.region()).map(status ->
                Response.status(status.migration() == null ? 200 : 202).entity(status).build());
    }

    public record MigrateRequest(String cloud, String region) { }
}

package io.crossjobs.controller.rest;

import io.crossjobs.controller.model.ControllerStatus;
import io.crossjobs.controller.service.ControllerPlacementService;
import io.crossjobs.controller.service.InvalidFieldException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** The controller's own status and its migration; job-api proxies both verbatim. */
@Path("/controller")
@Produces(MediaType.APPLICATION_JSON)
public class ControllerResource {
    private final ControllerPlacementService placement;

    public ControllerResource(ControllerPlacementService placement) {
        this.placement = placement;
    }

    @GET
    public Uni<ControllerStatus> status() {
        return placement.status();
    }

    public record MigrationRequest(String cloud, String region) { }

    @POST
    @Path("/migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ControllerStatus> migrate(MigrationRequest request) {
        if (request == null) throw new InvalidFieldException("cloud", "a JSON body {\"cloud\":..., \"region\":...} is required");
        return placement.migrate(request.cloud(), request.region());
    }

    @ServerExceptionMapper
    public Response invalidField(InvalidFieldException e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.getMessage(), "field", e.field())).build();
    }
}

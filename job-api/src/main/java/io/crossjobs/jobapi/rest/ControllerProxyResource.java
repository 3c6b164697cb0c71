package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.client.ControllerClient;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.ForbiddenException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The controller's status, migration and cost calls, behind job-api's tokens: forwarded to
 * {@code jobapi.controller-url} and answered with the controller's status, content type and body unchanged.
 * An unreachable controller is a 502 problem.
 */
@Path("/")
public class ControllerProxyResource {
    private static final Logger LOG = Logger.getLogger(ControllerProxyResource.class);

    private final ControllerClient controller;
    private final Callers callers;

    public ControllerProxyResource(@RestClient ControllerClient controller, Callers callers) {
        this.controller = controller;
        this.callers = callers;
    }

    @GET
    @Path("/controller")
    public Uni<Response> controller(@Context UriInfo uri) {
        return forwarded(controller.controller(), uri);
    }

    /** Admins only: moving the controller affects every user's jobs. */
    @POST
    @Path("/controller/migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> migrate(String body, @Context UriInfo uri) {
        if (!callers.caller().admin()) throw new ForbiddenException("only an admin may migrate the controller");
        return forwarded(controller.migrate(body == null || body.isBlank() ? "{}" : body), uri);
    }

    @GET
    @Path("/cost")
    public Uni<Response> cost(@Context UriInfo uri) {
        return forwarded(controller.cost(), uri);
    }

    private static Uni<Response> forwarded(Uni<Response> call, UriInfo uri) {
        return call.map(ControllerProxyResource::copy)
                .onFailure(WebApplicationException.class)
                .recoverWithItem(e -> copy(((WebApplicationException) e).getResponse()))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("controller unreachable for %s: %s", uri.getPath(), e.toString());
                    return ProblemMappers.problem(ProblemMappers.BAD_GATEWAY, "Bad Gateway", 502,
                            "the controller did not answer: " + e.getMessage(), uri, null);
                });
    }

    private static Response copy(Response r) {
        String body = r.hasEntity() ? r.readEntity(String.class) : null;
        Response.ResponseBuilder copy = Response.status(r.getStatus()).entity(body);
        String type = r.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type != null) copy.header(HttpHeaders.CONTENT_TYPE, type);
        return copy.build();
    }
}

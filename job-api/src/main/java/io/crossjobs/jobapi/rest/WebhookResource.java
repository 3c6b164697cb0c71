package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.model.DeliveryView;
import io.crossjobs.jobapi.model.WebhookRequest;
import io.crossjobs.jobapi.model.WebhookView;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.WebhookService;
import io.crossjobs.jobapi.service.WebhookTargets;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** The caller's webhooks (an admin's: everyone's). The signing secret is returned once, at creation. */
@Path("/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {
    private final WebhookService webhooks;
    private final Callers callers;
    private final WebhookTargets targets;

    public WebhookResource(WebhookService webhooks, Callers callers, WebhookTargets targets) {
        this.webhooks = webhooks;
        this.callers = callers;
        this.targets = targets;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@NotNull(message = "a JSON body {\"url\": ..., \"statuses\": [...]} is required")
                                @Valid WebhookRequest body) {
        var caller = callers.caller();
        return targets.check(body.url()).chain(resolution -> webhooks.create(body, caller, resolution))
                .map(w -> Response.status(Response.Status.CREATED).entity(w).build());
    }

    @GET
    public Uni<List<WebhookView>> list() {
        return webhooks.list(callers.caller());
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return webhooks.delete(id, callers.caller()).map(v -> Response.noContent().build());
    }

    /** Newest first: each delivery's state, attempts, last HTTP status or error. */
    @GET
    @Path("/{id}/deliveries")
    public Uni<List<DeliveryView>> deliveries(@PathParam("id") String id) {
        return webhooks.deliveries(id, callers.caller());
    }
}

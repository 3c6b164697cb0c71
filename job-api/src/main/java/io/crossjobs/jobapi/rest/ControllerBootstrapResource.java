package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.controller.ControllerBootstrap;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * A controller VM fetches its settings here, once, with the one-time token of its launch (not an API token: the
 * {@link AuthFilter} lets this path through). Anything else is a 401 that says nothing about the token.
 */
@Path(ControllerBootstrap.PATH)
public class ControllerBootstrapResource {
    private final ControllerBootstrap bootstrap;

    public ControllerBootstrapResource(ControllerBootstrap bootstrap) {
        this.bootstrap = bootstrap;
    }

    @GET
    public Uni<Response> settings(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context UriInfo uri) {
        String token = authorization != null && authorization.regionMatches(true, 0, AuthFilter.BEARER, 0,
                AuthFilter.BEARER.length()) ? authorization.substring(AuthFilter.BEARER.length()).trim() : "";
        return bootstrap.settings(token).map(found -> found
                .map(text -> Response.ok(text, "text/plain; charset=utf-8").build())
                .orElseGet(() -> AuthFilter.unauthorized("the bootstrap token is unknown, spent or expired", uri)));
    }
}

package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.service.ApiTokens;
import io.crossjobs.jobapi.service.Callers;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every API call needs {@code Authorization: Bearer <token>}; only the {@code /q/*} endpoints (health,
 * metrics, OpenAPI) are open, and they are not JAX-RS resources, so this filter never sees them. A controller VM's
 * bootstrap call carries a one-time token of its own instead.
 */
public class AuthFilter {
    static final String BEARER = "Bearer ";

    private final ApiTokens tokens;
    private final Callers callers;

    public AuthFilter(ApiTokens tokens, Callers callers) {
        this.tokens = tokens;
        this.callers = callers;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request, UriInfo uri) {
        if (withoutApiToken(uri.getPath())) return Uni.createFrom().nullItem();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            return Uni.createFrom().item(unauthorized("an API token is required: Authorization: Bearer <token>", uri));
        }
        String token = header.substring(BEARER.length()).trim();
        return tokens.authenticate(token).map(caller -> {
            if (caller == null) return unauthorized("the API token is unknown or revoked", uri);
            callers.set(caller, ApiTokens.hash(token));
            return null;
        });
    }

    /**
     * Paths served without an API token: the {@code /q/*} endpoints, and a controller VM's bootstrap call, which
     * authenticates with its one-time token in the resource itself.
     */
    static boolean withoutApiToken(String path) {
        return path.startsWith("/q/") || path.equals(io.crossjobs.jobapi.controller.ControllerBootstrap.PATH);
    }

    static Response unauthorized(String detail, UriInfo uri) {
        Response problem = ProblemMappers.problem(ProblemMappers.UNAUTHORIZED, "Unauthorized", 401, detail, uri, null);
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}

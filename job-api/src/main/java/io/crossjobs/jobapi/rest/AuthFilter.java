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
 * metrics, OpenAPI) are open, and they are not JAX-RS resources, so this filter never sees them.
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
        if (uri.getPath().startsWith("/q/")) return Uni.createFrom().nullItem();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || header.substring(BEARER.length()).isBlank()) {
            return Uni.createFrom().item(unauthorized("an API token is required: Authorization: Bearer <token>", uri));
        }
        return tokens.authenticate(header.substring(BEARER.length()).trim()).map(caller -> {
            if (caller == null) return unauthorized("the API token is unknown or revoked", uri);
            callers.set(caller);
            return null;
        });
    }

    private static Response unauthorized(String detail, UriInfo uri) {
        Response problem = ProblemMappers.problem(ProblemMappers.UNAUTHORIZED, "Unauthorized", 401, detail, uri, null);
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}

package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.service.ApiTokens;
import io.crossjobs.jobapi.service.Callers;
import io.crossjobs.jobapi.service.TokenRateLimiter;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Runs after {@link AuthFilter} (so only known tokens reach it) and answers 429 problem+json with
 * {@code Retry-After} when the token's bucket is empty ({@code jobapi.rate-limit.*}). Admin tokens are not
 * limited: they are the operators' (and the benchmark's), and the limit is there to keep one user's client from
 * crowding out the others.
 */
public class RateLimitFilter {
    private final TokenRateLimiter limiter;
    private final Callers callers;

    public RateLimitFilter(TokenRateLimiter limiter, Callers callers) {
        this.limiter = limiter;
        this.callers = callers;
    }

    @ServerRequestFilter(priority = Priorities.USER + 100)
    public Response limit(ContainerRequestContext request, UriInfo uri) {
        if (AuthFilter.withoutApiToken(uri.getPath())) return null;
        if (callers.caller().admin()) return null;
        long wait = limiter.acquire(callers.token());
        if (wait == 0) return null;
        Response problem = ProblemMappers.problem(ProblemMappers.RATE_LIMITED, "Too Many Requests", 429,
                "this token made too many calls; retry after " + wait + " s", uri, null);
        return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, Long.toString(wait)).build();
    }
}

package io.crossjobs.mockcloud.limits;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The API calls each cloud has served and refused, by action: what a benchmark divides by its jobs. */
@Path("/mock/api-calls")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ApiCallsResource {

    @Inject
    ApiRateLimiter limiter;

    @GET
    public List<ApiRateLimiter.CallCount> calls() {
        return limiter.calls();
    }

    /** Zeroes the counts and refills every limit. */
    @DELETE
    public void reset() {
        limiter.reset();
    }
}

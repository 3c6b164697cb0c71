package io.crossjobs.mockcloud.limits;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one request-limit counter every front end consults. */
@Singleton
public class LimitsBeans {

    @Produces
    @Singleton
    ApiRateLimiter apiRateLimiter(ApiLimitsConfig config) {
        return ApiRateLimiter.of(Clock.systemUTC(), config);
    }
}

package io.crossjobs.jobapi.service;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is asking. Everyone is {@code anonymous} until API tokens arrive; then this resolves the token's
 * owner and the queries filter by it, without touching the callers.
 */
@ApplicationScoped
public class Callers {
    public static final String ANONYMOUS = "anonymous";

    public String current() {
        return ANONYMOUS;
    }
}

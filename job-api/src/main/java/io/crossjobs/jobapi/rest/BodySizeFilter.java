package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.config.JobApiConfig;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body whose declared length is over the limit before it is read; a chunked body without a length
 * is measured by the resource once read (and bounded by {@code quarkus.http.limits.max-body-size}).
 */
public class BodySizeFilter {
    private final JobApiConfig config;

    public BodySizeFilter(JobApiConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public void checkDeclaredLength(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) return;
        try {
            if (Long.parseLong(length.trim()) > config.maxBodySize()) {
                throw new BodyTooLargeException(config.maxBodySize());
            }
        } catch (NumberFormatException e) {
            // Vert.x has already refused a malformed Content-Length
        }
    }
}

package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.service.InvalidInputException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A Content-Type or Accept header that is not a media type is the client's error (400 naming the header);
 * left to the framework, its parse failure would surface as a 500.
 */
public class HeaderSyntaxFilter {

    @ServerRequestFilter(preMatching = true)
    public void checkMediaTypes(ContainerRequestContext request) {
        check(HttpHeaders.CONTENT_TYPE, request.getHeaderString(HttpHeaders.CONTENT_TYPE), false);
        check(HttpHeaders.ACCEPT, request.getHeaderString(HttpHeaders.ACCEPT), true);
    }

    private static void check(String header, String value, boolean list) {
        if (value == null || value.isBlank()) return;
        try {
            for (String part : list ? value.split(",") : new String[] {value}) {
                if (!part.isBlank()) MediaType.valueOf(part.trim());
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(header, "is not a media type (type/subtype, e.g. application/json)");
        }
    }
}

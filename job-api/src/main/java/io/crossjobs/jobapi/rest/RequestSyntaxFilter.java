package io.crossjobs.jobapi.rest;

import io.crossjobs.jobapi.model.FieldError;
import io.crossjobs.jobapi.service.InvalidInputException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Request syntax the framework or the database would otherwise fail on with a 500 (found by the fuzz test):
 * a Content-Type or Accept header that is not a media type, and a NUL character in a query parameter or path
 * segment (PostgreSQL text cannot hold one). Both are the client's error: 400 naming the header or parameter.
 */
public class RequestSyntaxFilter {

    @ServerRequestFilter(preMatching = true)
    public void checkSyntax(ContainerRequestContext request, UriInfo uri) {
        check(HttpHeaders.CONTENT_TYPE, request.getHeaderString(HttpHeaders.CONTENT_TYPE), false);
        check(HttpHeaders.ACCEPT, request.getHeaderString(HttpHeaders.ACCEPT), true);
        TreeSet<String> withNul = new TreeSet<>();
        for (Map.Entry<String, List<String>> p : uri.getQueryParameters().entrySet()) {
            if (p.getKey().indexOf('\0') >= 0 || p.getValue().stream().anyMatch(v -> v != null && v.indexOf('\0') >= 0)) {
                withNul.add(p.getKey().replace('\0', '?'));
            }
        }
        if (uri.getPath().indexOf('\0') >= 0) withNul.add("path");
        if (!withNul.isEmpty()) {
            throw new InvalidInputException(withNul.stream()
                    .map(name -> new FieldError(name, "must not contain a NUL character")).toList());
        }
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

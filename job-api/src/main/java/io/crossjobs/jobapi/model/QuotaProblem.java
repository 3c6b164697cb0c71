package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem for a request over a quota or a cap, with the extension members that say which: {@code quota}
 * (its name, as in its setting), its {@code limit}, the {@code usage} when the request came, and what it
 * {@code requested} on top.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuotaProblem(String type, String title, int status, String detail, String instance, String quota,
                           Number limit, Number usage, Number requested) {
}

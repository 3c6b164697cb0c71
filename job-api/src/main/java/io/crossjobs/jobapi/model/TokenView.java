package io.crossjobs.jobapi.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** A token as listed; {@code token} is present only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(String id, String user, boolean admin, Instant createdAt, Instant revokedAt, String token) {
    public static TokenView of(ApiToken t, String token) {
        return new TokenView(String.valueOf(t.id), t.userName, t.admin, t.createdAt, t.revokedAt, token);
    }
}

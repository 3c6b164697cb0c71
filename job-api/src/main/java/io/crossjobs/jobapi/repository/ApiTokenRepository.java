package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.ApiToken;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class ApiTokenRepository implements PanacheRepositoryBase<ApiToken, Long> {

    public Uni<ApiToken> findActiveByHash(String hash) {
        return find("tokenHash = ?1 and revokedAt is null", hash).firstResult();
    }

    public Uni<List<ApiToken>> listAll() {
        return listAll(Sort.ascending("id"));
    }

    /** Returns 0 when the token is unknown or already revoked. */
    public Uni<Integer> revoke(long id, Instant at) {
        return update("revokedAt = :at where id = :id and revokedAt is null", Parameters.with("at", at).and("id", id));
    }
}

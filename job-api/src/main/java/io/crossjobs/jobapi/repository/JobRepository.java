package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.Job;
import io.crossjobs.jobapi.model.JobFilter;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * The jobs table as REST reads it. Its writes are statements on the SQL client: submissions
 * ({@code SubmissionBatcher}), cancels ({@code JobSubmissionService}), status changes ({@link StatusChangeStore}).
 */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<Job, Long> {

    /** The job an earlier submission with this Idempotency-Key created, or null. */
    public Uni<Job> findByIdempotencyKey(String owner, String key) {
        return find("owner = :owner and idempotencyKey = :key", Parameters.with("owner", owner).and("key", key))
                .firstResult();
    }

    /** The jobs of an array, by rank. */
    public Uni<List<Job>> findArray(long arrayId) {
        return find("arrayId", Sort.ascending("arrayRank"), arrayId).list();
    }

    /** Newest first; {@code beforeId} is the cursor (exclusive), null for the first page. */
    public Uni<List<Job>> findPage(JobFilter filter, Long beforeId, int limit) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (!filter.statuses().isEmpty()) {
            where.add("status in :statuses");
            params.and("statuses", filter.statuses());
        }
        if (filter.owner() != null) {
            where.add("owner = :owner");
            params.and("owner", filter.owner());
        }
        if (filter.name() != null) {
            where.add("name = :name");
            params.and("name", filter.name());
        }
        if (filter.cloud() != null) {
            where.add("cloud = :cloud");
            params.and("cloud", filter.cloud());
        }
        if (filter.array() != null) {
            where.add("arrayId = :array");
            params.and("array", filter.array());
        }
        if (beforeId != null) {
            where.add("id < :before");
            params.and("before", beforeId);
        }
        String query = String.join(" and ", where);
        return find(query, Sort.descending("id"), params).page(Page.ofSize(limit)).list();
    }
}

package io.crossjobs.jobapi.repository;

import io.crossjobs.jobapi.model.JobHistoryEntry;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class JobHistoryRepository implements PanacheRepositoryBase<JobHistoryEntry, Long> {

    /** In the order the changes were received, which is the controller's order for one job. */
    public Uni<List<JobHistoryEntry>> ofJob(long jobId) {
        return list("jobId", Sort.ascending("id"), jobId);
    }
}

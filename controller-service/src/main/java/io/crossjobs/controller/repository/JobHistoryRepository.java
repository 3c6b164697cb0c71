package io.crossjobs.controller.repository;

import io.crossjobs.events.JobStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

@ApplicationScoped
public class JobHistoryRepository implements PanacheRepositoryBase<JobHistoryEntity, Long> {

    public Uni<Void> record(String jobId, JobStatus from, JobStatus to, int attempt, String reason, Instant at) {
        JobHistoryEntity e = new JobHistoryEntity();
        e.jobId = jobId;
        e.fromStatus = from;
        e.toStatus = to;
        e.attempt = attempt;
        e.reason = reason;
        e.at = at;
        return persist(e).replaceWithVoid();
    }
}

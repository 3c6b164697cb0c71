package io.crossjobs.controller.repository;

import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.events.Placement;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import io.crossjobs.events.TaskSpec;

import java.util.List;

/** managed_job rows as {@link ManagedJob} snapshots, for reading; the lifecycle writes them through {@link LifecycleStore}. */
@ApplicationScoped
public class ManagedJobRepository implements PanacheRepositoryBase<ManagedJobEntity, String> {

    public Uni<ManagedJob> findJob(String jobId) {
        return findById(jobId).map(e -> e == null ? null : toModel(e));
    }

    /** Every job, oldest first (the cost report; fine at this project's scale, paged later). */
    public Uni<List<ManagedJob>> allJobs() {
        return listAll(io.quarkus.panache.common.Sort.by("submittedAt").and("id"))
                .map(rows -> rows.stream().map(ManagedJobRepository::toModel).toList());
    }

    /** Launches in flight: what holds a launch slot. */
    public Uni<Long> countLaunching() {
        return count("status", io.crossjobs.events.JobStatus.STARTING);
    }

    static ManagedJob toModel(ManagedJobEntity e) {
        Placement placement = e.cloud == null ? null : new Placement(e.cloud, e.region, e.zone, e.instanceType,
                Boolean.TRUE.equals(e.spot), e.pricePerHour == null ? 0 : e.pricePerHour);
        List<TaskSpec> tasks = JsonColumns.tasks(e.tasks, e.taskSpec);
        return new ManagedJob(e.id, e.name, e.owner, tasks, e.taskIndex, e.priority, e.status, e.attempt,
                e.clusterName, placement, JsonColumns.blocklist(e.blocklist), e.recoveryCount, e.restartCount,
                e.failedLaunches, e.failureReason, e.exitCode, e.statusReason, e.submittedAt, e.startedAt, e.endedAt,
                e.updatedAt, e.nextAttemptAt, e.launchStartedAt, e.costUsd, e.billedSince);
    }
}

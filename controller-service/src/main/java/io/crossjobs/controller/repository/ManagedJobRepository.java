package io.crossjobs.controller.repository;

import io.crossjobs.controller.model.ManagedJob;
import io.crossjobs.controller.model.Transition;
import io.crossjobs.events.Placement;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.crossjobs.events.TaskSpec;

import java.util.List;

/** managed_job rows as {@link ManagedJob} snapshots. Every change is a guarded update. */
@ApplicationScoped
public class ManagedJobRepository implements PanacheRepositoryBase<ManagedJobEntity, String> {

    // One statement for every transition: the transition (named in JobStateMachine) decides the new values,
    // the where clause is its guard. The row lock taken by findForUpdate makes the guard hold in practice;
    // the guard keeps a stale decision from ever overwriting a newer state.
    private static final String GUARDED_UPDATE = """
            update ManagedJobEntity j set
              j.taskIndex = :taskIndex, j.status = :status, j.attempt = :attempt, j.clusterName = :clusterName,
              j.cloud = :cloud, j.region = :region, j.zone = :zone, j.instanceType = :instanceType,
              j.spot = :spot, j.pricePerHour = :pricePerHour, j.blocklist = :blocklist,
              j.recoveryCount = :recoveryCount, j.restartCount = :restartCount, j.failedLaunches = :failedLaunches,
              j.failureReason = :failureReason, j.exitCode = :exitCode, j.statusReason = :statusReason,
              j.startedAt = :startedAt, j.endedAt = :endedAt, j.updatedAt = :updatedAt,
              j.nextAttemptAt = :nextAttemptAt, j.launchStartedAt = :launchStartedAt,
              j.costUsd = :costUsd, j.billedSince = :billedSince
            where j.id = :id and j.status in :guard and j.attempt = :guardAttempt""";

    /** The job, its row locked until the transaction ends (so the two consumers never interleave on one job). */
    public Uni<ManagedJob> findForUpdate(String jobId) {
        return findById(jobId, LockModeType.PESSIMISTIC_WRITE).map(e -> e == null ? null : toModel(e));
    }

    public Uni<ManagedJob> findJob(String jobId) {
        return findById(jobId).map(e -> e == null ? null : toModel(e));
    }

    public Uni<Void> insert(ManagedJob job) {
        ManagedJobEntity e = new ManagedJobEntity();
        e.id = job.id();
        e.name = job.name();
        e.owner = job.owner();
        e.taskSpec = JsonColumns.taskSpec(job.tasks().isEmpty() ? null : job.tasks().get(0));
        e.tasks = JsonColumns.tasks(job.tasks());
        e.taskIndex = job.taskIndex();
        e.priority = job.priority();
        e.taskId = job.taskId();
        e.status = job.status();
        e.attempt = job.attempt();
        e.blocklist = JsonColumns.blocklist(job.blocklist());
        e.statusReason = job.statusReason();
        e.submittedAt = job.submittedAt();
        e.createdAt = job.updatedAt();
        e.updatedAt = job.updatedAt();
        return persist(e).replaceWithVoid();
    }

    /** Writes {@code t.after()} if the row still matches the guard; false when the guard failed (nothing written). */
    public Uni<Boolean> apply(Transition t) {
        ManagedJob a = t.after();
        Placement p = a.placement();
        return getSession().chain(s -> s.createMutationQuery(GUARDED_UPDATE)
                .setParameter("taskIndex", a.taskIndex())
                .setParameter("status", a.status())
                .setParameter("attempt", a.attempt())
                .setParameter("clusterName", a.clusterName())
                .setParameter("cloud", p == null ? null : p.cloud())
                .setParameter("region", p == null ? null : p.region())
                .setParameter("zone", p == null ? null : p.zone())
                .setParameter("instanceType", p == null ? null : p.instanceType())
                .setParameter("spot", p == null ? null : p.spot())
                .setParameter("pricePerHour", p == null ? null : p.pricePerHour())
                .setParameter("blocklist", JsonColumns.blocklist(a.blocklist()))
                .setParameter("recoveryCount", a.recoveryCount())
                .setParameter("restartCount", a.restartCount())
                .setParameter("failedLaunches", a.failedLaunches())
                .setParameter("failureReason", a.failureReason())
                .setParameter("exitCode", a.exitCode())
                .setParameter("statusReason", a.statusReason())
                .setParameter("startedAt", a.startedAt())
                .setParameter("endedAt", a.endedAt())
                .setParameter("updatedAt", a.updatedAt())
                .setParameter("nextAttemptAt", a.nextAttemptAt())
                .setParameter("launchStartedAt", a.launchStartedAt())
                .setParameter("costUsd", a.costUsd())
                .setParameter("billedSince", a.billedSince())
                .setParameter("id", t.jobId())
                .setParameter("guard", t.guard())
                .setParameter("guardAttempt", t.guardAttempt())
                .executeUpdate())
                .map(updated -> updated == 1);
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

    /**
     * The ids of up to {@code limit} PENDING jobs whose backoff is over, highest priority first, then first come
     * first served; their rows locked, skipping rows another controller (or handler) holds. A job still waiting
     * on its backoff is not selected, so it never holds up the jobs behind it.
     */
    @SuppressWarnings("unchecked")
    public Uni<List<String>> lockLaunchable(java.time.Instant now, int limit) {
        return getSession().chain(s -> s.createNativeQuery("""
                        select id from managed_job
                        where status = 'PENDING' and (next_attempt_at is null or next_attempt_at <= :now)
                        order by priority desc, submitted_at, id
                        limit :limit
                        for update skip locked""", String.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList());
    }

    /** Launches in flight that began before {@code startedBefore}: stuck, they would hold their slot forever. */
    @SuppressWarnings("unchecked")
    public Uni<List<String>> lockOverdueLaunches(java.time.Instant startedBefore, int limit) {
        return getSession().chain(s -> s.createNativeQuery("""
                        select id from managed_job
                        where status = 'STARTING' and launch_started_at < :before
                        order by launch_started_at, id
                        limit :limit
                        for update skip locked""", String.class)
                .setParameter("before", startedBefore)
                .setParameter("limit", limit)
                .getResultList());
    }

    static ManagedJob toModel(ManagedJobEntity e) {
        Placement placement = e.cloud == null ? null : new Placement(e.cloud, e.region, e.zone, e.instanceType,
                Boolean.TRUE.equals(e.spot), e.pricePerHour == null ? 0 : e.pricePerHour);
        List<TaskSpec> tasks;
        if (e.tasks != null) {
            tasks = JsonColumns.tasks(e.tasks);
        } else {
            TaskSpec only = JsonColumns.taskSpec(e.taskSpec);
            tasks = only == null ? List.of() : List.of(only);
        }
        return new ManagedJob(e.id, e.name, e.owner, tasks, e.taskIndex, e.priority, e.status, e.attempt,
                e.clusterName, placement, JsonColumns.blocklist(e.blocklist), e.recoveryCount, e.restartCount,
                e.failedLaunches, e.failureReason, e.exitCode, e.statusReason, e.submittedAt, e.startedAt, e.endedAt,
                e.updatedAt, e.nextAttemptAt, e.launchStartedAt, e.costUsd, e.billedSince);
    }
}

package io.crossjobs.jobapi.cost;

import io.crossjobs.catalog.Optimizer;
import io.crossjobs.catalog.PriceCatalog;
import io.crossjobs.events.JobStatus;
import io.crossjobs.jobapi.controller.ControllerCosts;
import io.crossjobs.jobapi.repository.JobRepository;
import io.crossjobs.jobapi.service.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads what the cost report needs — the caller's jobs (an admin: all), every job's activity, the controller's
 * VMs — and hands it to the pure {@link CostReports}.
 */
@ApplicationScoped
public class CostService {
    /** How many jobs are not finished, and the latest status change of any job: one pass over the table. */
    private static final String ACTIVITY = "select count(*) filter (where status in ("
            + JobStatus.nonTerminal().stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", "))
            + ")), max(status_changed_at) from jobs";

    private final JobRepository jobs;
    private final ControllerCosts controller;
    private final CostReports reports;

    public CostService(JobRepository jobs, ControllerCosts controller, PriceCatalog catalog, Optimizer optimizer) {
        this.jobs = jobs;
        this.controller = controller;
        this.reports = new CostReports(catalog, optimizer);
    }

    /**
     * The jobs are read in one session, the controller's VMs after it is closed (the keeper's store reads them on
     * its own connection); {@code now} is taken last, so nothing read is later than it.
     */
    public Uni<CostReport> report(Caller caller) {
        return Panache.withSession(() -> visibleJobs(caller).chain(visible -> activity()
                        .map(activity -> new Read(visible, activity))))
                .chain(read -> controller.billing()
                        .map(billing -> reports.report(read.visible(), read.activity(), billing, Instant.now())));
    }

    /** Oldest first (by id, the order of submission); only the columns {@link JobCostRow} names. */
    private Uni<List<JobCostRow>> visibleJobs(Caller caller) {
        var query = caller.admin() ? jobs.findAll(Sort.ascending("id"))
                : jobs.find("owner = ?1", Sort.ascending("id"), caller.name());
        return query.project(JobCostRow.class).list();
    }

    private Uni<JobActivity> activity() {
        return Panache.getSession().chain(s -> s.createNativeQuery(ACTIVITY, Object[].class).getSingleResult())
                .map(row -> new JobActivity(((Number) row[0]).longValue(), instant(row[1])));
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime t ? t.toInstant() : value instanceof Instant i ? i : null;
    }

    private record Read(List<JobCostRow> visible, JobActivity activity) { }
}

package io.crossjobs.jobapi.service;

import io.crossjobs.events.JobStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics ({@code /q/metrics}): {@code jobapi_submissions_total}, {@code jobapi_jobs{status}}
 * the outbox's backlog ({@code jobapi_outbox_unpublished}, {@code jobapi_outbox_lag_seconds}: age of the
 * oldest unpublished row) and the records parked by any consumer, not yet replayed ({@code jobapi_parked_events}). The gauges are refreshed from the database every 10 s, not on each scrape.
 */
@ApplicationScoped
public class JobApiMetrics {
    private final Counter submissions;
    private final Map<JobStatus, AtomicLong> jobsByStatus = new EnumMap<>(JobStatus.class);
    private final AtomicLong unpublished = new AtomicLong();
    private final AtomicLong lagSeconds = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();

    public JobApiMetrics(MeterRegistry registry) {
        this.submissions = Counter.builder("jobapi.submissions").description("jobs accepted").register(registry);
        for (JobStatus status : JobStatus.values()) {
            AtomicLong count = new AtomicLong();
            jobsByStatus.put(status, count);
            Gauge.builder("jobapi.jobs", count, AtomicLong::get).tag("status", status.name())
                    .description("jobs by status").register(registry);
        }
        Gauge.builder("jobapi.outbox.unpublished", unpublished, AtomicLong::get)
                .description("outbox rows not yet published to Kafka").register(registry);
        Gauge.builder("jobapi.outbox.lag.seconds", lagSeconds, AtomicLong::get)
                .description("age of the oldest unpublished outbox row").register(registry);
        Gauge.builder("jobapi.parked.events", parked, AtomicLong::get)
                .description("records a consumer could not handle, parked and not replayed").register(registry);
    }

    public void submitted() {
        submissions.increment();
    }

    @Scheduled(every = "10s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> refresh() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s
                .createNativeQuery("select status, count(*) from jobs group by status", Object[].class)
                .getResultList()
                .invoke(this::setStatusCounts)
                .chain(() -> s.createNativeQuery(
                        "select count(*), min(created_at) from outbox where published_at is null", Object[].class)
                        .getSingleResult())
                .invoke(this::setOutbox)
                .chain(() -> s.createNativeQuery(
                        "select count(*) from parked_events where replayed_at is null", Long.class).getSingleResult())
                .invoke(count -> parked.set(count))))
                .replaceWithVoid();
    }

    private void setStatusCounts(List<Object[]> rows) {
        jobsByStatus.values().forEach(c -> c.set(0));
        for (Object[] row : rows) {
            try {
                jobsByStatus.get(JobStatus.valueOf((String) row[0])).set(((Number) row[1]).longValue());
            } catch (IllegalArgumentException e) {
                // a status a newer version wrote: not ours to count
            }
        }
    }

    private void setOutbox(Object[] row) {
        unpublished.set(((Number) row[0]).longValue());
        Instant oldest = row[1] instanceof OffsetDateTime t ? t.toInstant() : row[1] instanceof Instant i ? i : null;
        lagSeconds.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toSeconds()));
    }
}

package io.crossjobs.jobapi.service;

import io.crossjobs.events.CancelRequested;
import io.crossjobs.events.JobStatus;
import io.crossjobs.events.ReleaseHoldRequested;
import io.crossjobs.jobapi.model.JobView;
import io.crossjobs.jobapi.repository.JobRepository;
import io.crossjobs.service.messaging.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Accepts cancel requests (submissions: {@link SubmissionBatcher}). Each writes its state change and the event
 * announcing it in one transaction (the outbox), so an event is published if and only if the change committed.
 */
@ApplicationScoped
public class JobSubmissionService {
    private static final Logger LOG = Logger.getLogger(JobSubmissionService.class);
    /** The caller's (an admin: everyone's) unfinished jobs in a {@link CancelScope}, asked to cancel once. */
    private static final String REQUEST_CANCEL = """
            with unfinished as (
                select id, cancel_requested_at from jobs
                where status <> all(#{terminal}::varchar[]) and (#{owner}::varchar is null or owner = #{owner})
                  and (#{id}::bigint is null or id = #{id}) and (#{name}::varchar is null or name = #{name})
                  and (#{array}::bigint is null or array_id = #{array})
                for update
            ), marked as (
                update jobs j set cancel_requested_at = #{at} from unfinished u
                where j.id = u.id and u.cancel_requested_at is null
                returning j.id
            )
            select u.id, exists (select 1 from marked m where m.id = u.id) as marked from unfinished u order by u.id""";
    /** Ends the caller's (an admin: anyone's) job's debug hold while it lasts, once. */
    private static final String RELEASE_HOLD = """
            update jobs set hold_released_at = #{at}
            where id = #{id} and (#{owner}::varchar is null or owner = #{owner})
              and hold_until > #{at} and hold_released_at is null
            returning id""";
    private static final String[] TERMINAL = Arrays.stream(JobStatus.values()).filter(JobStatus::isTerminal)
            .map(Enum::name).toArray(String[]::new);

    private final Pool pool;
    private final JobRepository jobs;
    private final JobViews views;

    public JobSubmissionService(Pool pool, JobRepository jobs, JobViews views) {
        this.pool = pool;
        this.jobs = jobs;
        this.views = views;
    }

    /**
     * Asks the controller to cancel the job, once: repeated requests change nothing. The outcome says
     * whether the job was still running (accepted) or had already finished. Another user's job is 404.
     */
    public Uni<CancelOutcome> cancel(String jobId, Caller caller) {
        long id = JobIds.require(jobId);
        return requestCancel(caller, CancelScope.job(id))
                .chain(() -> Panache.withSession(() -> jobs.findById(id)))
                .map(job -> job != null && caller.maySee(job.owner) ? job : null)
                .onItem().ifNull().failWith(() -> new JobNotFoundException(jobId))
                .map(job -> new CancelOutcome(views.view(job), !job.status.isTerminal()));
    }

    /**
     * Which jobs a cancel request asks for, besides being the caller's (an admin's: anyone's) and unfinished: null
     * fields do not narrow it.
     */
    public record CancelScope(Long id, String name, Long array) {
        public static CancelScope job(long id) { return new CancelScope(id, null, null); }

        public static CancelScope named(String name) { return new CancelScope(null, name, null); }

        public static CancelScope array(long arrayId) { return new CancelScope(null, null, arrayId); }

        public static CancelScope all() { return new CancelScope(null, null, null); }
    }

    /**
     * Cancels the unfinished jobs of the caller (an admin: of everyone) in {@code scope}. Idempotent: a job already
     * asked to cancel is listed again, under {@code alreadyRequested}.
     */
    public Uni<CancelMany> cancelMany(CancelScope scope, Caller caller) {
        return requestCancel(caller, scope).map(rows -> {
            List<String> requested = new ArrayList<>();
            List<String> already = new ArrayList<>();
            for (Row r : rows) (r.getBoolean("marked") ? requested : already).add(String.valueOf(r.getLong("id")));
            return new CancelMany(requested, already);
        });
    }

    /**
     * Marks the jobs and writes a CancelRequested for each newly marked one, in one transaction of two statements
     * however many jobs it covers.
     */
    private Uni<RowSet<Row>> requestCancel(Caller caller, CancelScope scope) {
        Instant now = now();
        String owner = caller.admin() ? null : caller.name();
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("terminal", TERMINAL);
        parameters.put("owner", owner);
        parameters.put("id", scope.id());
        parameters.put("name", scope.name());
        parameters.put("array", scope.array());
        parameters.put("at", now.atOffset(ZoneOffset.UTC));
        return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, REQUEST_CANCEL).execute(parameters)
                .call(rows -> {
                    List<Outbox.Row> events = new ArrayList<>();
                    for (Row r : rows) {
                        if (!r.getBoolean("marked")) continue;
                        events.add(Outbox.row(new CancelRequested(String.valueOf(r.getLong("id")), caller.name(), now),
                                null, now));
                    }
                    return Outbox.insertAll(conn, events).invoke(() -> events.forEach(e ->
                            LOG.infof("job=%s cancel requested by=%s", e.jobId(), caller.name())));
                }));
    }

    /**
     * Ends a failed job's debug hold now: the job row says so at once and a ReleaseHoldRequested goes to the controller
     * (one transaction), which terminates the cluster. 404 for another user's job, 409 when it holds no cluster (never
     * held, over, or released already).
     */
    public Uni<JobView> releaseHold(String jobId, Caller caller) {
        long id = JobIds.require(jobId);
        Instant now = now();
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", id);
        parameters.put("owner", caller.admin() ? null : caller.name());
        parameters.put("at", now.atOffset(ZoneOffset.UTC));
        return pool.withTransaction(conn -> SqlTemplate.forQuery(conn, RELEASE_HOLD).execute(parameters)
                        .call(rows -> rows.size() == 0 ? Uni.createFrom().voidItem()
                                : Outbox.insert(conn, new ReleaseHoldRequested(jobId, caller.name(), now), null, now)))
                .chain(rows -> Panache.withSession(() -> jobs.findById(id)).map(job -> {
                    if (job == null || !caller.maySee(job.owner)) throw new JobNotFoundException(jobId);
                    if (rows.size() == 0) {
                        throw new jakarta.ws.rs.WebApplicationException("job " + jobId + " holds no cluster: "
                                + (job.holdUntil == null ? "it did not fail with resources.keep_on_failure set"
                                : job.holdReleasedAt != null ? "its hold was released at " + job.holdReleasedAt
                                : "its hold ended at " + job.holdUntil), 409);
                    }
                    LOG.infof("job=%s debug hold released by=%s", jobId, caller.name());
                    return views.view(job);
                }));
    }

    /** Job ids newly asked to cancel, and those asked before (still finishing). */
    public record CancelMany(List<String> requested, List<String> alreadyRequested) { }

    public record CancelOutcome(JobView job, boolean accepted) { }

    /** PostgreSQL keeps microseconds; truncating here makes the stored, published and returned times equal. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

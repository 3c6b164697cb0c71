package io.crossjobs.jobapi.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.crossjobs.events.AccountChecked;
import io.crossjobs.events.CheckAccount;
import io.crossjobs.events.Topics;
import io.crossjobs.jobapi.config.JobApiConfig;
import io.crossjobs.jobapi.service.NotFoundException;
import io.crossjobs.service.messaging.Outbox;
import io.crossjobs.service.messaging.OutboxRelay;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code crossjobs check}: asks each cloud's provisioner, through the outbox, whether its account can run jobs
 * ({@link CheckAccount} on provision-commands.&lt;cloud&gt;), and keeps the answers ({@link AccountChecked} on
 * provision-events). A redelivered answer changes nothing: only a cloud still pending takes one. Checks are kept
 * {@code jobapi.retention.checks} (7 days).
 */
@ApplicationScoped
public class AccountChecks {
    private static final Logger LOG = Logger.getLogger(AccountChecks.class);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final TypeReference<List<AccountChecked.Finding>> FINDINGS = new TypeReference<>() { };

    private final Pool pool;
    private final OutboxRelay relay;
    private final Clock clock = Clock.systemUTC();
    private final Duration retention;

    public AccountChecks(Pool pool, OutboxRelay relay, JobApiConfig config) {
        this.pool = pool;
        this.relay = relay;
        this.retention = config.retention().checks();
    }

    @Scheduled(every = "1h", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void purgeOld() {
        purgeAsked(clock.instant().minus(retention)).subscribe().with(n -> {
            if (n > 0) LOG.infof("purged %d clouds' answers of checks asked before the retention", n);
        }, failure -> LOG.warnf("purging old checks failed, the next round retries: %s", failure.toString()));
    }

    /** Forgets the checks asked before {@code before}; returns how many clouds' rows went. */
    public Uni<Integer> purgeAsked(Instant before) {
        return pool.withConnection(c -> SqlTemplate.forUpdate(c,
                        "delete from account_checks where requested_at < #{before}")
                .execute(params("before", utc(before)))).map(r -> r.rowCount());
    }

    /** Asks {@code clouds}' provisioners; the answer is pending for each until it arrives. */
    public Uni<CheckView> start(List<String> clouds, String requestedBy) {
        String checkId = CheckAccount.ID_PREFIX + UUID.randomUUID();
        Instant now = clock.instant();
        return pool.withTransaction(c -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String cloud : clouds) {
                chain = chain.chain(() -> SqlTemplate.forUpdate(c, """
                                insert into account_checks (check_id, cloud, requested_at, requested_by)
                                values (#{id}, #{cloud}, #{at}, #{by})""")
                        .execute(params("id", checkId, "cloud", cloud, "at", utc(now), "by", requestedBy))
                        .replaceWithVoid()
                        .chain(() -> Outbox.insert(c, new CheckAccount(checkId, cloud),
                                Topics.provisionCommands(cloud), now)));
            }
            return chain;
        }).invoke(relay::trigger).map(ignored -> new CheckView(checkId, now, requestedBy,
                clouds.stream().map(CloudCheck::pending).toList()));
    }

    public Uni<CheckView> get(String checkId) {
        return pool.withConnection(c -> SqlTemplate.forQuery(c,
                        "select * from account_checks where check_id = #{id} order by cloud")
                .execute(params("id", checkId))).map(rows -> view(checkId, rows));
    }

    /** Stores a provisioner's answer; one for a check nobody asked (or already answered) is dropped. */
    public Uni<Void> answered(AccountChecked answer) {
        String findings;
        try {
            findings = JSON.writeValueAsString(answer.findings());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("findings of " + answer.checkId(), e);
        }
        return pool.withConnection(c -> SqlTemplate.forUpdate(c, """
                        update account_checks set checked_at = #{at}, ready = #{ready}, findings = #{findings}
                        where check_id = #{id} and cloud = #{cloud} and checked_at is null""")
                .execute(params("at", utc(answer.checkedAt()), "ready", answer.ready(), "findings", findings,
                        "id", answer.checkId(), "cloud", answer.cloud())))
                .invoke(r -> {
                    if (r.rowCount() == 0) {
                        LOG.debugf("check=%s cloud=%s: an answer nobody waits for, dropped", answer.checkId(),
                                answer.cloud());
                    }
                }).replaceWithVoid();
    }

    private static CheckView view(String checkId, RowSet<Row> rows) {
        if (rows.size() == 0) throw new NotFoundException("no check " + checkId);
        List<CloudCheck> clouds = new ArrayList<>();
        Instant requestedAt = null;
        String requestedBy = null;
        for (Row r : rows) {
            requestedAt = r.getOffsetDateTime("requested_at").toInstant();
            requestedBy = r.getString("requested_by");
            String cloud = r.getString("cloud");
            OffsetDateTime checkedAt = r.getOffsetDateTime("checked_at");
            clouds.add(checkedAt == null ? CloudCheck.pending(cloud)
                    : CloudCheck.answered(cloud, checkedAt.toInstant(), findings(r.getString("findings"))));
        }
        return new CheckView(checkId, requestedAt, requestedBy, clouds);
    }

    private static List<AccountChecked.Finding> findings(String json) {
        try {
            return JSON.readValue(json, FINDINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored findings do not parse", e);
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Map<String, Object> params(Object... namesAndValues) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return m;
    }
}

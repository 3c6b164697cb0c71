package io.crossjobs.controller.repository;

import io.crossjobs.controller.model.OutputHold;
import io.crossjobs.controller.model.OutputHoldChange;
import io.crossjobs.events.RunPhase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The output_hold rows ({@link OutputHold}), on the caller's connection inside the transaction of the event (or scan)
 * that reads or changes them, with the job's row locked.
 */
@ApplicationScoped
public class OutputHoldStore {
    private static final String FIND = """
            select attempt, exit_phase, exit_code, exited_at, release_by, stored_at from output_hold
            where job_id = #{job} and attempt = #{attempt}""";
    private static final String HOLD_EXIT = """
            insert into output_hold (job_id, attempt, exit_phase, exit_code, exited_at, release_by)
            values (#{job}, #{attempt}, #{phase}, #{exitCode}, #{exitedAt}, #{releaseBy})
            on conflict (job_id, attempt) do update set exit_phase = excluded.exit_phase,
                exit_code = excluded.exit_code, exited_at = excluded.exited_at, release_by = excluded.release_by""";
    private static final String NOTE_STORED = """
            insert into output_hold (job_id, attempt, stored_at) values (#{job}, #{attempt}, #{storedAt})
            on conflict (job_id, attempt) do update set stored_at = excluded.stored_at""";
    private static final String END = "delete from output_hold where job_id = #{job}";
    private static final String LOCK_OVERDUE = """
            select h.job_id from output_hold h join managed_job j on j.id = h.job_id
            where h.release_by <= #{now}
            order by h.release_by, h.job_id
            limit #{limit}
            for update of j skip locked""";

    /** The attempt's hold; {@link OutputHold#none} when there is no row. */
    public Uni<OutputHold> find(SqlConnection conn, String jobId, int attempt) {
        return SqlTemplate.forQuery(conn, FIND).execute(Map.of("job", jobId, "attempt", attempt)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) return OutputHold.none(attempt);
            Row r = it.next();
            String phase = r.getString("exit_phase");
            OutputHold.HeldExit exit = phase == null ? null : new OutputHold.HeldExit(RunPhase.valueOf(phase),
                    r.getInteger("exit_code"), instant(r, "exited_at"), instant(r, "release_by"));
            return new OutputHold(r.getInteger("attempt"), exit, instant(r, "stored_at"));
        });
    }

    public Uni<Void> apply(SqlConnection conn, String jobId, OutputHoldChange change) {
        Map<String, Object> params = new HashMap<>();
        params.put("job", jobId);
        String sql;
        if (change instanceof OutputHoldChange.HoldExit hold) {
            sql = HOLD_EXIT;
            params.put("attempt", hold.attempt());
            params.put("phase", hold.exit().phase().name());
            params.put("exitCode", hold.exit().exitCode());
            params.put("exitedAt", utc(hold.exit().exitedAt()));
            params.put("releaseBy", utc(hold.exit().releaseBy()));
        } else if (change instanceof OutputHoldChange.NoteStored stored) {
            sql = NOTE_STORED;
            params.put("attempt", stored.attempt());
            params.put("storedAt", utc(stored.at()));
        } else {
            sql = END;
        }
        return SqlTemplate.forUpdate(conn, sql).execute(params).replaceWithVoid();
    }

    /** Every hold of the job goes: it has ended. */
    public Uni<Void> endAll(SqlConnection conn, String jobId) {
        return SqlTemplate.forUpdate(conn, END).execute(Map.of("job", jobId)).replaceWithVoid();
    }

    /** Jobs whose held exit's wait is over at {@code now}, their rows locked, skipping rows a handler holds. */
    public Uni<List<String>> lockOverdue(SqlConnection conn, Instant now, int limit) {
        return SqlTemplate.forQuery(conn, LOCK_OVERDUE).execute(Map.of("now", utc(now), "limit", limit)).map(rows -> {
            List<String> ids = new ArrayList<>(rows.size());
            for (Row r : rows) ids.add(r.getString("job_id"));
            return ids;
        });
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime at = r.getOffsetDateTime(column);
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}

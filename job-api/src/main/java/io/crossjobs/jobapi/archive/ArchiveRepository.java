package io.crossjobs.jobapi.archive;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The {@code archives} table: what job-api holds, and when a submission last named it. */
@ApplicationScoped
public class ArchiveRepository {
    /** What an {@link Archive} holds, read by every select. */
    private static final String COLUMNS = "digest, bytes, object_uri";
    private static final String FIND = "select " + COLUMNS + " from archives where digest = any(#{digests})";
    private static final String INSERT = """
            insert into archives (digest, bytes, object_uri, uploaded_by, uploaded_at, last_used_at)
            values (#{digest}, #{bytes}, #{objectUri}, #{uploadedBy}, #{at}, #{at})
            on conflict (digest) do nothing""";
    private static final String TOUCH = "update archives set last_used_at = #{at} where digest = any(#{digests})";
    private static final String UNUSED_SINCE = "select " + COLUMNS + """
             from archives a
            where a.last_used_at < #{before}
              and not exists (select 1 from jobs j where (j.ended_at is null or j.ended_at >= #{before})
                              and j.tasks_json like '%' || substring(a.digest, 8) || '%')
            order by a.last_used_at limit #{limit}""";
    private static final String DELETE = "delete from archives where digest = #{digest} and last_used_at < #{before}";

    private final Pool pool;

    public ArchiveRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Archive>> find(Collection<String> digests) {
        return query(FIND, Map.of("digests", digests.toArray(String[]::new)));
    }

    /** Records an upload; one already recorded (a concurrent upload of the same bytes) stays as it is. */
    public Uni<Void> insert(Archive archive, String uploadedBy, Instant now) {
        return update(INSERT, Map.of("digest", archive.digest(), "bytes", archive.bytes(),
                "objectUri", archive.objectUri(), "uploadedBy", uploadedBy, "at", utc(now)));
    }

    public Uni<Void> touch(Collection<String> digests, Instant now) {
        return update(TOUCH, Map.of("digests", digests.toArray(String[]::new), "at", utc(now)));
    }

    /**
     * Uploads no submission named since {@code before} and no job uses: none unfinished names it, none that ended
     * since {@code before} did.
     */
    public Uni<List<Archive>> unusedSince(Instant before, int limit) {
        return query(UNUSED_SINCE, Map.of("before", utc(before), "limit", limit));
    }

    public Uni<Void> delete(String digest, Instant before) {
        return update(DELETE, Map.of("digest", digest, "before", utc(before)));
    }

    private Uni<List<Archive>> query(String sql, Map<String, Object> parameters) {
        return pool.withConnection(c -> SqlTemplate.forQuery(c, sql).execute(parameters)).map(ArchiveRepository::archives);
    }

    private Uni<Void> update(String sql, Map<String, Object> parameters) {
        return pool.withConnection(c -> SqlTemplate.forUpdate(c, sql).execute(parameters)).replaceWithVoid();
    }

    private static List<Archive> archives(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Archive> found = new ArrayList<>();
        for (Row row : rows) {
            found.add(new Archive(row.getString("digest"), row.getLong("bytes"), row.getString("object_uri")));
        }
        return found;
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}

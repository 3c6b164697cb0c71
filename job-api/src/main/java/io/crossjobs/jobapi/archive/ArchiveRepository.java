package io.crossjobs.jobapi.archive;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The {@code archives} table: what job-api holds, and when a submission last named it. */
@ApplicationScoped
public class ArchiveRepository {
    private final Pool pool;

    public ArchiveRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Archive>> find(Collection<String> digests) {
        return pool.preparedQuery("select digest, bytes, object_uri from archives where digest = any($1)")
                .execute(Tuple.of(digests.toArray(String[]::new))).map(ArchiveRepository::archives);
    }

    /** Records an upload; one already recorded (a concurrent upload of the same bytes) stays as it is. */
    public Uni<Void> insert(Archive archive, String uploadedBy, Instant now) {
        return pool.preparedQuery("insert into archives (digest, bytes, object_uri, uploaded_by, uploaded_at, "
                        + "last_used_at) values ($1, $2, $3, $4, $5, $5) on conflict (digest) do nothing")
                .execute(Tuple.of(archive.digest(), archive.bytes(), archive.objectUri(), uploadedBy, utc(now)))
                .replaceWithVoid();
    }

    public Uni<Void> touch(Collection<String> digests, Instant now) {
        return pool.preparedQuery("update archives set last_used_at = $2 where digest = any($1)")
                .execute(Tuple.of(digests.toArray(String[]::new), utc(now))).replaceWithVoid();
    }

    /**
     * Uploads no submission named since {@code before} and no job uses: none unfinished names it, none that ended
     * since {@code before} did.
     */
    public Uni<List<Archive>> unusedSince(Instant before, int limit) {
        return pool.preparedQuery("select a.digest, a.bytes, a.object_uri from archives a where a.last_used_at < $1 "
                        + "and not exists (select 1 from jobs j where (j.ended_at is null or j.ended_at >= $1) "
                        + "and j.tasks_json like '%' || substring(a.digest, 8) || '%') order by a.last_used_at limit $2")
                .execute(Tuple.of(utc(before), limit)).map(ArchiveRepository::archives);
    }

    public Uni<Void> delete(String digest, Instant before) {
        return pool.preparedQuery("delete from archives where digest = $1 and last_used_at < $2")
                .execute(Tuple.of(digest, utc(before))).replaceWithVoid();
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

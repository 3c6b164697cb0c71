package io.crossjobs.jobapi.output;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.templates.SqlTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What job_log_chunks holds of one attempt, read in the caller's transaction. */
final class StoredOutputs {
    private static final String JOB_EXISTS = "select exists (select 1 from jobs where id = #{job}) as known";
    private static final String SPANS = """
            select node_rank, byte_offset, octet_length(text) as length from job_log_chunks
            where job_id = #{job} and attempt = #{attempt}""";

    static Uni<Boolean> jobExists(SqlClient c, long jobId) {
        return SqlTemplate.forQuery(c, JOB_EXISTS).execute(Map.of("job", jobId))
                .map(rows -> rows.iterator().next().getBoolean("known"));
    }

    static Uni<List<OutputCoverage.Span>> spans(SqlClient c, long jobId, int attempt) {
        return SqlTemplate.forQuery(c, SPANS).execute(Map.of("job", jobId, "attempt", attempt)).map(rows -> {
            List<OutputCoverage.Span> spans = new ArrayList<>(rows.size());
            for (Row r : rows) {
                spans.add(new OutputCoverage.Span(r.getInteger("node_rank"), r.getLong("byte_offset"),
                        r.getLong("length")));
            }
            return spans;
        });
    }

    private StoredOutputs() { }
}

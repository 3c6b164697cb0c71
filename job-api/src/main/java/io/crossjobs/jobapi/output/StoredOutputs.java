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
    private static final String JOB_LOG = "select log_capped_at is not null as capped from jobs where id = #{job}";
    private static final String SPANS = """
            select node_rank, byte_offset, octet_length(text) as length from job_log_chunks
            where job_id = #{job} and attempt = #{attempt}""";

    /** What is stored of a job's output as a whole. */
    enum JobLog {
        /** No such job. */
        UNKNOWN_JOB,
        /** Its output reached the cap: what was stored is all that ever will be. */
        CAPPED,
        /** Stored as it comes. */
        STORED
    }

    static Uni<JobLog> jobLog(SqlClient c, long jobId) {
        return SqlTemplate.forQuery(c, JOB_LOG).execute(Map.of("job", jobId)).map(rows -> {
            if (rows.size() == 0) return JobLog.UNKNOWN_JOB;
            return rows.iterator().next().getBoolean("capped") ? JobLog.CAPPED : JobLog.STORED;
        });
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

package io.crossjobs.bench;

import io.crossjobs.stack.StackConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How fast {@code GET /jobs} (what {@code crossjobs queue} asks) answers its first page with many jobs in the
 * database. The jobs table is filled up to {@code --queue-jobs} rows in one statement, copies of a job the run made
 * with names, owners, statuses and clouds spread over a few values, so that each filter finds some; then each query
 * is asked {@code --queue-requests} times in a row after a tenth as many unmeasured ones.
 */
final class QueueSpeed {
    /** The query of each row of the report: what the queue asks, then each filter and a field selection. */
    static final Map<String, String> QUERIES = queries();

    private QueueSpeed() { }

    private static Map<String, String> queries() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("first page (50 newest)", "limit=50");
        q.put("status=RUNNING", "limit=50&status=RUNNING");
        q.put("unfinished (queue -s)", "limit=50&status=PENDING,STARTING,RUNNING,RECOVERING,CANCELLING");
        q.put("name=queue-7", "limit=50&name=queue-7");
        q.put("owner=user-3", "limit=50&owner=user-3");
        q.put("cloud=gcp", "limit=50&cloud=gcp");
        q.put("fields=id,name,status", "limit=50&fields=id,name,status");
        q.put("next page (cursor)", "limit=50&cursor=%s");
        return q;
    }

    static BenchReport.Queue run(StackConfig config, String token, int jobs, int requests) throws Exception {
        long total = fill(config, jobs);
        Benchmark.say("queue: %d jobs in the database; %d requests of each query", total, requests);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://127.0.0.1:" + config.jobApiPort() + "/jobs?";
        String cursor = String.valueOf(total / 2);
        Map<String, Latencies.Summary> byQuery = new LinkedHashMap<>();
        for (Map.Entry<String, String> q : QUERIES.entrySet()) {
            URI uri = URI.create(base + q.getValue().formatted(cursor));
            Latencies latencies = new Latencies();
            for (int i = 0; i < requests / 10 + requests; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                        .build(), HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - t0;
                if (r.statusCode() != 200) throw new IOException(uri + " answered " + r.statusCode() + ": " + r.body());
                if (i >= requests / 10) latencies.add(took);
            }
            byQuery.put(q.getKey(), latencies.summary());
        }
        return new BenchReport.Queue(total, byQuery);
    }

    /** Adds copies of the newest job until the table holds {@code jobs} rows; returns how many it holds. */
    private static long fill(StackConfig config, int jobs) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + config.postgresHostPort() + "/"
                + StackConfig.API_DATABASE, config.postgresUser(), config.postgresPassword())) {
            long have = count(c);
            if (have < jobs) {
                try (PreparedStatement insert = c.prepareStatement("""
                        insert into jobs (id, name, owner, status, task_json, tasks_json, task_count, submitted_at,
                                          status_changed_at, started_at, ended_at, cloud, region, instance_type, spot)
                        select nextval('job_id_seq'), 'queue-' || (g % 100), 'user-' || (g % 10),
                               case when g % 100 = 0 then 'RUNNING' when g % 20 = 0 then 'FAILED'
                                    else 'SUCCEEDED' end,
                               t.task_json, t.tasks_json, t.task_count, now(), now(), now(),
                               case when g % 100 = 0 then null else now() end,
                               (array['aws', 'gcp', 'azure'])[g % 3 + 1], 'r', 'm', false
                        from generate_series(1, ?) g, (select task_json, tasks_json, task_count from jobs
                                                       order by id desc limit 1) t""")) {
                    insert.setLong(1, jobs - have);
                    insert.executeUpdate();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("analyze jobs");
                }
            }
            return count(c);
        }
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select count(*) from jobs")) {
            r.next();
            return r.getLong(1);
        }
    }
}

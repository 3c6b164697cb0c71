package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.Durations;
import io.crossjobs.cli.format.JobText;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Waits until jobs end, saying so for each as it ends ({@code [job 8] SUCCEEDED in 5s}, or its status and why), then
 * their count by status; answers the exit code of {@link JobOutcomes}. The jobs are named by id, or are those of a
 * job array, read a page of 500 at a time.
 */
final class JobWaiter {
    private static final long POLL_MILLIS = 1000;
    private static final int PAGE = 500;
    /** What an array's listing needs of each job: a page of 500 full views would be read every second. */
    static final String FIELDS = "id,status,jobDurationSeconds,failureReason,exitCode,array";

    private final JobApi api;
    private final PrintWriter out;
    /** Each job's terminal status once it was seen, in the order the jobs were named. */
    private final Map<String, String> ended = new LinkedHashMap<>();

    JobWaiter(JobApi api, PrintWriter out) {
        this.api = api;
        this.out = out;
    }

    int waitForIds(List<String> ids) {
        List<String> open = new ArrayList<>(ids);
        while (true) {
            for (var it = open.iterator(); it.hasNext(); ) {
                JsonNode job = api.job(it.next());
                if (seenEnded(job)) it.remove();
            }
            if (open.isEmpty()) return summary(ids.size());
            pause();
        }
    }

    int waitForArray(String arrayId) {
        while (true) {
            int size = -1;
            int seen = 0;
            String cursor = null;
            do {
                Map<String, String> query = new LinkedHashMap<>();
                query.put("array", arrayId);
                query.put("limit", String.valueOf(PAGE));
                query.put("fields", FIELDS);
                if (cursor != null) query.put("cursor", cursor);
                JsonNode page = api.jobs(query);
                for (JsonNode job : page.path("items")) {
                    size = job.path("array").path("size").asInt(size);
                    seen++;
                    seenEnded(job);
                }
                cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            } while (cursor != null);
            if (seen == 0) throw new CliException("job array " + arrayId + " not found (or not yours)");
            if (ended.size() == seen) return summary(size);
            pause();
        }
    }

    private boolean seenEnded(JsonNode job) {
        String id = job.path("id").asText();
        String status = job.path("status").asText();
        if (ended.containsKey(id)) return true;
        if (!JobText.isTerminal(status)) return false;
        ended.put(id, status);
        StringBuilder line = new StringBuilder("[job " + id + "] " + status);
        if (status.equals("SUCCEEDED") && job.hasNonNull("jobDurationSeconds")) {
            line.append(" in ").append(Durations.length(job.get("jobDurationSeconds").asLong()));
        } else {
            String why = JobText.failure(job);
            if (!why.isEmpty()) line.append(": ").append(why);
        }
        out.println(line);
        out.flush();
        return true;
    }

    private int summary(int jobs) {
        out.println(jobs + (jobs == 1 ? " job: " : " jobs: ") + JobOutcomes.count(ended.values()));
        out.flush();
        return JobOutcomes.exitCode(ended.values());
    }

    private static void pause() {
        JobFollower.pause(POLL_MILLIS);
    }
}

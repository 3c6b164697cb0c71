package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.Durations;
import io.crossjobs.cli.format.JobText;
import io.crossjobs.cli.format.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code crossjobs queue}: SkyPilot's {@code sky jobs queue}, newest first. */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = {"List managed jobs, newest first.",
                "DURATION is the time the job has run (since it first reached RUNNING).",
                "ARRAY, shown when a job of a job array is listed (launch --num-jobs): the array's ID (its first "
                        + "job's) and the job's rank (SKYPILOT_JOB_RANK) of the array's size."})
public final class QueueCommand extends ApiCommand implements Callable<Integer> {
    static final String UNFINISHED = "PENDING,STARTING,RUNNING,RECOVERING,CANCELLING";
    /** The job fields the table shows (job-api answers only these: a page of 500 jobs stays small). */
    static final String FIELDS = "id,name,owner,status,cloud,instanceType,spot,numNodes,resources,submittedAt,"
            + "runningDurationSeconds,recoveryCount,array,hold";

    @Option(names = {"-a", "--all"}, description = "every user's jobs (admins), with an OWNER column")
    boolean all;

    @Option(names = {"-s", "--skip-finished"}, description = "only jobs that have not finished")
    boolean skipFinished;

    @Option(names = "--array", paramLabel = "ID", description = "only the jobs of this job array (its first job's ID)")
    String array;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N jobs (1-500, default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 500) throw new CliException("--limit must be between 1 and 500, got " + limit, 2);
        JobApi api = api();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("limit", String.valueOf(limit));
        query.put("fields", FIELDS);
        if (skipFinished) query.put("status", UNFINISHED);
        if (array != null) query.put("array", array);
        // job-api shows a user only their own jobs and an admin everyone's; without --all an admin asks for
        // their own by name, when the CLI knows it (CROSSJOBS_USER, user= in the config, the local stack's admin)
        if (!all) api.connection().user().ifPresent(u -> query.put("owner", u));
        JsonNode page = api.jobs(query);
        out().print(render(page.path("items"), all, Instant.now(context().clock())));
        if (page.hasNonNull("nextCursor")) {
            out().println("(the newest " + limit + " are shown; --limit N shows up to 500)");
        }
        out().flush();
        return 0;
    }

    static String render(JsonNode jobs, boolean withOwner, Instant now) {
        if (!jobs.isArray() || jobs.isEmpty()) return "No managed jobs.\n";
        boolean arrays = false;
        boolean holds = false;
        for (JsonNode job : jobs) {
            arrays |= job.hasNonNull("array");
            holds |= job.path("hold").path("active").asBoolean();
        }
        List<String> headers = new ArrayList<>(List.of("ID", "NAME"));
        if (arrays) headers.add("ARRAY");
        if (withOwner) headers.add("OWNER");
        headers.addAll(List.of("RESOURCES", "SUBMITTED", "DURATION", "#RECOVERIES", "STATUS"));
        if (holds) headers.add("KEPT FOR DEBUGGING");
        Table table = new Table(headers);
        for (JsonNode job : jobs) {
            List<String> row = new ArrayList<>(List.of(job.path("id").asText(), job.path("name").asText()));
            if (arrays) row.add(arrayPlace(job.path("array")));
            if (withOwner) row.add(job.path("owner").asText());
            row.add(JobText.resources(job));
            row.add(submitted(job, now));
            row.add(job.hasNonNull("runningDurationSeconds") ? Durations.length(job.get("runningDurationSeconds").asLong()) : "-");
            row.add(String.valueOf(job.path("recoveryCount").asInt(0)));
            row.add(job.path("status").asText());
            if (holds) row.add(kept(job.path("hold")));
            table.add(row);
        }
        return table.toString();
    }

    /**
     * {@code i-0a1 i-0a2, 24m 10s left, $0.0120}: a failed job's cluster kept for debugging, while it is; "-" for the
     * other jobs.
     */
    private static String kept(JsonNode hold) {
        if (!hold.path("active").asBoolean()) return "-";
        List<String> ids = new ArrayList<>();
        hold.path("instanceIds").forEach(i -> ids.add(i.asText()));
        return String.join(" ", ids) + ", " + Durations.length(hold.path("secondsLeft").asLong()) + " left, "
                + JobText.money(hold.path("costSoFar").asDouble());
    }

    /** {@code 7 rank 2/3}: the array's id, then the job's rank of its size; "-" for a job submitted alone. */
    private static String arrayPlace(JsonNode array) {
        if (array.isMissingNode() || array.isNull()) return "-";
        return array.path("id").asText() + " rank " + array.path("rank").asInt() + "/" + array.path("size").asInt();
    }

    private static String submitted(JsonNode job, Instant now) {
        String at = JobText.text(job, "submittedAt");
        if (at == null) return "-";
        try {
            return Durations.ago(Instant.parse(at), now);
        } catch (DateTimeParseException e) {
            return at;
        }
    }
}

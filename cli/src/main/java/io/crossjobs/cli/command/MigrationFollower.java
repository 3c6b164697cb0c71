package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.ApiError;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.Durations;
import io.crossjobs.cli.format.JobText;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows a controller migration that {@code POST /controller/migrate} started, by polling {@code GET /controller}:
 * prints each new entry of the controller's history as it appears, and ends when the controller serves at the
 * target (a VM there is SERVING and is the effective placement, or the move is recorded as completed) or when the
 * move failed (a {@code migrations} entry to the target, not completed, with the reason).
 */
final class MigrationFollower {
    /** Polls in a row that may fail to reach job-api before the follow gives up. */
    private static final int UNREACHABLE_POLLS = 10;
    /** Polls in a row with no move under way and no outcome recorded before the follow gives up. */
    private static final int POLLS_WITHOUT_OUTCOME = 10;

    private final JobApi api;
    private final PrintWriter out;
    private final Duration pollInterval;
    private final Set<String> shown = new HashSet<>();
    private volatile boolean finished;

    MigrationFollower(JobApi api, PrintWriter out, Duration pollInterval) {
        this.api = api;
        this.out = out;
        this.pollInterval = pollInterval;
    }

    boolean finished() { return finished; }

    /**
     * {@code started}: the status {@code POST /controller/migrate} answered, whose {@code migration} is the move under
     * way. Returns 0 once the controller serves at the target; throws a {@link CliException} (exit 1) with the reason
     * when the migration failed.
     */
    int follow(JsonNode started) {
        JsonNode migration = started.path("migration");
        String cloud = migration.path("cloud").asText();
        String region = migration.path("region").asText();
        String target = cloud + "/" + region;
        Instant since = millis(Durations.parse(JobText.text(migration, "since")));
        if (since == null) markShown(started);   // cannot tell this move's entries: show only the ones to come
        JsonNode status = started;
        int withoutOutcome = 0;
        for (;;) {
            showNewHistory(status, since);
            JsonNode outcome = outcome(status, cloud, region, since);
            if (outcome != null && !outcome.path("completed").asBoolean(false)) {
                finished = true;
                String why = JobText.text(outcome, "message");
                JsonNode from = outcome.path("from");
                throw new CliException("the migration to " + target + " failed"
                        + (why == null ? "" : ": " + why)
                        + (from.isObject() ? "; the controller stays on " + ControllerCommand.cloudRegion(from) : ""));
            }
            if (servesAt(status, cloud, region) || outcome != null) {
                finished = true;
                printDone(status, target, since, outcome);
                return 0;
            }
            JsonNode underWay = status.path("migration");
            boolean ours = underWay.isObject() && cloud.equals(underWay.path("cloud").asText())
                    && region.equals(underWay.path("region").asText());
            withoutOutcome = ours ? 0 : withoutOutcome + 1;
            if (withoutOutcome >= POLLS_WITHOUT_OUTCOME) {
                finished = true;
                throw new CliException("the migration to " + target + " is no longer under way"
                        + (underWay.isObject() ? " (another one, to " + ControllerCommand.cloudRegion(underWay)
                        + ", is)" : "") + " and no outcome was recorded; ./crossjobs controller shows where the "
                        + "controller is");
            }
            pause();
            status = poll();
        }
    }

    /** The controller is not moving and a VM at the target serves as the effective placement. */
    private static boolean servesAt(JsonNode status, String cloud, String region) {
        JsonNode e = status.path("effective");
        return "SERVING".equals(JobText.text(status, "state")) && !status.path("migration").isObject()
                && e.isObject() && cloud.equals(e.path("cloud").asText()) && region.equals(e.path("region").asText());
    }

    /** The {@code migrations} entry that ended this move (to the target, at or after its start), or null. */
    private static JsonNode outcome(JsonNode status, String cloud, String region, Instant since) {
        if (since == null) return null;
        for (JsonNode m : status.path("migrations")) {
            Instant at = millis(Durations.parse(JobText.text(m, "at")));
            if (at != null && !at.isBefore(since) && cloud.equals(m.path("to").path("cloud").asText())
                    && region.equals(m.path("to").path("region").asText())) {
                return m;
            }
        }
        return null;
    }

    private void printDone(JsonNode status, String target, Instant since, JsonNode outcome) {
        JsonNode e = status.path("effective");
        StringBuilder line = new StringBuilder("[controller] serving on ");
        boolean atTarget = e.isObject() && target.equals(ControllerCommand.cloudRegion(e));
        if (atTarget) {
            line.append(ControllerCommand.where(e));
            List<String> details = new ArrayList<>();
            if (JobText.text(e, "clusterName") != null) details.add("cluster " + e.get("clusterName").asText());
            if (JobText.text(e, "instanceId") != null) details.add("instance " + e.get("instanceId").asText());
            if (e.hasNonNull("pricePerHour")) details.add(JobText.money(e.get("pricePerHour").asDouble()) + "/h");
            if (!details.isEmpty()) line.append(" (").append(String.join(", ", details)).append(')');
        } else {
            line.append(target);
        }
        Instant at = outcome == null ? null : Durations.parse(JobText.text(outcome, "at"));
        if (since != null && at != null) {
            line.append("; migrated in ").append(Durations.length(Duration.between(since, at).getSeconds()));
        }
        printLine(line.toString());
    }

    /** Prints, oldest first, the history entries of this move not shown yet ({@code history} is newest first). */
    private void showNewHistory(JsonNode status, Instant since) {
        List<JsonNode> fresh = new ArrayList<>();
        for (JsonNode h : status.path("history")) {
            Instant at = millis(Durations.parse(JobText.text(h, "at")));
            if (since != null && (at == null || at.isBefore(since))) continue;
            if (shown.add(key(h))) fresh.add(h);
        }
        for (int i = fresh.size() - 1; i >= 0; i--) printLine("[controller] " + describe(fresh.get(i)));
    }

    private void markShown(JsonNode status) {
        for (JsonNode h : status.path("history")) shown.add(key(h));
    }

    /** {@code MigrationStarted: migrating controller ...}: the kind without its {@code Controller} prefix. */
    private static String describe(JsonNode h) {
        String kind = JobText.text(h, "kind");
        String message = JobText.text(h, "message");
        if (kind != null && kind.startsWith("Controller") && kind.length() > "Controller".length()) {
            kind = kind.substring("Controller".length());
        }
        if (kind == null) return message == null ? "(no message)" : message;
        return message == null ? kind : kind + ": " + message;
    }

    private static String key(JsonNode h) {
        return h.path("at").asText() + "|" + h.path("kind").asText() + "|" + h.path("clusterName").asText() + "|"
                + h.path("message").asText();
    }

    /** GET /controller; a failure to reach job-api is tried again, a refusal (401, 403, ...) is not. */
    private JsonNode poll() {
        for (int failures = 1; ; failures++) {
            try {
                return api.controller();
            } catch (ApiError e) {
                throw e;
            } catch (CliException e) {
                if (failures >= UNREACHABLE_POLLS) throw e;
                pause();
            }
        }
    }

    private void printLine(String line) {
        out.println(line);
        out.flush();
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** The server keeps microseconds; compared to the millisecond, so an entry written with the start is not older. */
    private static Instant millis(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }
}

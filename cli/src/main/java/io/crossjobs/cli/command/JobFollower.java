package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.CrossjobsCli;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.Durations;
import io.crossjobs.cli.format.JobText;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows one job to its end: its status changes as they are stored (from its event history, polled, so that
 * none is missed however fast they come) and where it runs, between its output lines as they arrive; then
 * the outcome as an exit code.
 */
final class JobFollower {
    private static final long POLL_MILLIS = 500;
    private static final Set<String> PLACED = Set.of("STARTING", "RUNNING", "RECOVERING");

    private final JobApi api;
    private final PrintWriter out;
    private final String id;
    private int eventsShown;
    private String placementShown;
    private volatile boolean finished;
    private int logLinesShown;

    JobFollower(JobApi api, PrintWriter out, String id) {
        this.api = api;
        this.out = out;
        this.id = id;
    }

    boolean finished() { return finished; }

    /** Returns the finished job. */
    JsonNode followToEnd() {
        ScheduledExecutorService statusPoller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crossjobs-status");
            t.setDaemon(true);
            return t;
        });
        statusPoller.scheduleWithFixedDelay(this::showNewStatusesQuietly, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
        try {
            api.logs(id, JobApi.LogQuery.head(true), this::printLogLine);
        } catch (CliException e) {
            printLine("[job " + id + "] the log stream stopped (" + e.getMessage() + "); waiting for the job to finish");
        } finally {
            statusPoller.shutdownNow();
            try {
                statusPoller.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        JsonNode job = api.job(id);
        while (!JobText.isTerminal(job.path("status").asText())) {
            showNewStatuses();
            pause();
            job = api.job(id);
        }
        showNewStatuses();
        catchUpLogs();
        finished = true;
        return job;
    }

    /** Follows the output only (no statuses), then catches up as {@link #followToEnd()} does. */
    void followLogsOnly() {
        api.logs(id, JobApi.LogQuery.head(true), this::printLogLine);
        catchUpLogs();
    }

    /**
     * job-api ends a followed log only after the job's last output was stored (it waits a settle time for it),
     * but the stream may also have broken off: read the whole log once and print the lines not shown yet.
     */
    private void catchUpLogs() {
        List<String> lines = new ArrayList<>();
        api.logs(id, JobApi.LogQuery.head(false), lines::add);
        if (lines.size() > logLinesShown) lines.subList(logLinesShown, lines.size()).forEach(this::printLogLine);
    }

    private void printLogLine(String line) {
        printLine(line);
        logLinesShown++;
    }

    /** 0 for SUCCEEDED; otherwise a {@link CliException} naming the outcome and its reason. */
    static int outcome(JsonNode job, PrintWriter out) {
        String id = job.path("id").asText();
        String status = job.path("status").asText();
        if (status.equals("SUCCEEDED")) {
            Long seconds = job.hasNonNull("jobDurationSeconds") ? job.get("jobDurationSeconds").asLong() : null;
            out.println("[job " + id + "] SUCCEEDED" + (seconds == null ? "" : " in " + Durations.length(seconds)));
            out.flush();
            return 0;
        }
        String why = JobText.failure(job);
        String kept = job.path("hold").path("active").asBoolean() ? "\n" + JobText.hold(job.path("hold"))
                + " for debugging; end it now with: ./crossjobs down-hold " + id : "";
        throw new CliException("job " + id + " " + status + (why.isEmpty() ? "" : ": " + why) + kept,
                status.equals("CANCELLED") ? CrossjobsCli.JOB_CANCELLED : CrossjobsCli.JOB_FAILED);
    }

    private void showNewStatusesQuietly() {
        try {
            showNewStatuses();
        } catch (RuntimeException e) {
            // a failed poll is retried at the next tick; the final check after the logs reports real trouble
        }
    }

    private synchronized void showNewStatuses() {
        JsonNode events = api.events(id);
        if (!events.isArray() || events.size() <= eventsShown) return;
        boolean needsPlacement = false;
        for (int i = eventsShown; i < events.size(); i++) needsPlacement |= PLACED.contains(events.get(i).path("to").asText());
        String placement = needsPlacement ? JobText.placement(api.job(id)) : null;
        for (; eventsShown < events.size(); eventsShown++) {
            JsonNode e = events.get(eventsShown);
            String to = e.path("to").asText();
            StringBuilder line = new StringBuilder("[job " + id + "] " + to);
            String reason = JobText.text(e, "reason");
            if (reason != null) line.append(": ").append(reason);
            if (to.startsWith("FAILED") || to.equals("CANCELLED")) {
                String why = JobText.failure(e);
                if (!why.isEmpty()) line.append(" (").append(why).append(')');
            }
            printLine(line.toString());
            if (PLACED.contains(to) && placement != null && !Objects.equals(placement, placementShown)) {
                printLine("[job " + id + "] on " + placement);
                placementShown = placement;
            }
        }
    }

    private void printLine(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static void pause() {
        pause(POLL_MILLIS);
    }

    /** Waits between two polls; Ctrl-C's interrupt ends the command. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}

package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.JobText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code crossjobs check} (SkyPilot's {@code sky check}): asks each cloud's provisioner whether its account can run
 * jobs ({@code POST /checks}), waits for the answers ({@code GET /checks/{id}}) and prints one line per cloud.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Check the clouds' accounts (admins): credentials, permissions, regions, vCPU quotas, network "
                + "and output storage, as each cloud's provisioner sees them. One line per cloud: enabled, or "
                + "disabled with the first gap and its fix.",
                "Exit 0 when at least one cloud asked is enabled, 1 when none is (or none answered)."})
public final class CheckCommand extends ApiCommand implements Callable<Integer> {

    @Option(names = "--cloud", paramLabel = "CLOUD", description = "check only this cloud (aws, gcp, azure); repeatable")
    List<String> clouds = new ArrayList<>();

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long to wait for the provisioners' answers (default: ${DEFAULT-VALUE})")
    long waitSeconds;

    @Option(names = {"-v", "--verbose"}, description = "also print every finding under its cloud's line")
    boolean verbose;

    /** How often the answers are polled; tests make it short. */
    @Option(names = "--poll-interval", paramLabel = "MILLIS", hidden = true, defaultValue = "500")
    long pollMillis;

    @Override
    public Integer call() {
        if (waitSeconds < 1) throw new CliException("--wait must be 1 or more seconds, got " + waitSeconds, 2);
        JobApi api = api();
        JsonNode check = api.startCheck(clouds);
        String id = check.path("checkId").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (!complete(check) && System.nanoTime() - deadline < 0) {
            pause();
            check = api.check(id);
        }
        return print(check, out(), verbose, waitSeconds);
    }

    static int print(JsonNode check, PrintWriter out, boolean verbose, long waitedSeconds) {
        int enabled = 0;
        for (JsonNode cloud : check.path("clouds")) {
            String name = cloud.path("cloud").asText();
            String state = cloud.path("state").asText();
            if ("READY".equals(state)) enabled++;
            out.println("PENDING".equals(state)
                    ? name + ": no answer from provisioner-" + name + " within " + waitedSeconds + " s; is it running "
                    + "(./crossjobs status) and reading provision-commands." + name + "?"
                    : cloud.path("line").asText());
            if (verbose) {
                for (JsonNode f : cloud.path("findings")) {
                    boolean ok = f.path("ok").asBoolean();
                    out.println("    " + (ok ? "ok  " : "FAIL") + "  " + String.format("%-11s",
                            f.path("aspect").asText().toLowerCase(Locale.ROOT)) + " " + f.path("detail").asText()
                            + (ok || JobText.text(f, "fix") == null ? "" : "\n                      fix: "
                            + f.get("fix").asText()));
                }
            }
        }
        out.flush();
        return enabled > 0 ? 0 : 1;
    }

    private static boolean complete(JsonNode check) {
        for (JsonNode cloud : check.path("clouds")) {
            if ("PENDING".equals(cloud.path("state").asText())) return false;
        }
        return true;
    }

    private void pause() {
        try {
            Thread.sleep(Math.max(10, pollMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}

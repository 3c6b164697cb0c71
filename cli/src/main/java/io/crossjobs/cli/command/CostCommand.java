package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.format.JobText;
import io.crossjobs.cli.format.Table;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code crossjobs cost}: the controller's cost report (GET /cost), as tables. */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = "What jobs have cost so far (billed while RUNNING), per job and per owner, the controller's "
                + "own cost, and suggestions to spend less.")
public final class CostCommand extends ApiCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        print(api().cost(), out());
        return 0;
    }

    static void print(JsonNode r, PrintWriter out) {
        out.println("Job cost so far: " + JobText.money(r.path("totalJobCost").asDouble())
                + (JobText.text(r, "at") == null ? "" : "   (as of " + r.get("at").asText() + ")"));
        Table jobs = new Table(List.of("ID", "NAME", "OWNER", "STATUS", "WHERE", "INSTANCE", "$/HOUR", "COST"));
        for (JsonNode j : r.path("jobs")) {
            jobs.add(List.of(j.path("id").asText(), j.path("name").asText(), j.path("owner").asText(),
                    j.path("status").asText(),
                    JobText.text(j, "cloud") == null ? "-" : j.get("cloud").asText() + "/" + j.path("region").asText("-"),
                    String.valueOf(JobText.text(j, "instanceType")) + (j.path("spot").asBoolean(false) ? " (spot)" : ""),
                    j.hasNonNull("pricePerHour") ? JobText.money(j.get("pricePerHour").asDouble()) : "-",
                    JobText.money(j.path("cost").asDouble())));
        }
        if (!jobs.isEmpty()) out.print(jobs);
        if (r.path("owners").size() > 0) {
            out.println();
            Table owners = new Table(List.of("OWNER", "JOBS", "COST"));
            for (JsonNode o : r.path("owners")) {
                owners.add(List.of(o.path("owner").asText(), o.path("jobs").asText(), JobText.money(o.path("cost").asDouble())));
            }
            out.print(owners);
        }
        JsonNode c = r.path("controller");
        if (c.isObject()) {
            out.println();
            out.println("Controller: " + c.path("cloud").asText("?") + "/" + c.path("region").asText("?") + " "
                    + c.path("instanceType").asText("?") + ", " + JobText.money(c.path("usdPerHour").asDouble()) + "/hour = "
                    + JobText.money(c.path("usdPerDay").asDouble()) + "/day");
        }
        if (r.path("suggestions").size() > 0) {
            out.println();
            out.println("Suggestions");
            for (JsonNode s : r.path("suggestions")) {
                StringBuilder line = new StringBuilder("  - " + s.path("message").asText());
                if (s.hasNonNull("savingUsd")) {
                    line.append(" [saves ").append(JobText.money(s.get("savingUsd").asDouble()));
                    if (s.hasNonNull("savingPercent")) {
                        line.append(String.format(Locale.ROOT, ", %.0f%%", s.get("savingPercent").asDouble()));
                    }
                    line.append(']');
                }
                out.println(line);
            }
        }
        out.flush();
    }
}

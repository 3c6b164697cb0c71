package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.format.Durations;
import io.crossjobs.cli.format.JobText;
import io.crossjobs.cli.format.Table;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code crossjobs cost}: job-api's cost report (GET /cost), as tables. */
@Command(name = "cost", mixinStandardHelpOptions = true,
        description = {"What jobs have cost so far (billed while RUNNING), per job and per owner, the controller's "
                + "own cost, and suggestions to spend less.",
                "EGRESS is the staging of a job's files from another cloud than the one it ran on (every node of "
                        + "every launch), at that cloud's internet egress price; apart from COST.",
                "The controller's cost is that of the VMs it ran in (each one's lifetime at its price so far), per "
                        + "placement; $/hour and $/day are its live VM's."})
public final class CostCommand extends ApiCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        print(api().cost(), out());
        return 0;
    }

    static void print(JsonNode r, PrintWriter out) {
        out.println("Job cost so far: " + JobText.money(r.path("totalJobCost").asDouble())
                + (r.hasNonNull("totalEgressCost")
                        ? " + " + JobText.money(r.get("totalEgressCost").asDouble()) + " egress of staging" : "")
                + (JobText.text(r, "at") == null ? "" : "   (as of " + Durations.instant(r.get("at").asText()) + ")"));
        Table jobs = new Table(List.of("ID", "NAME", "OWNER", "STATUS", "WHERE", "INSTANCE", "$/HOUR", "COST",
                "EGRESS"));
        int unsizedBuckets = 0;
        for (JsonNode j : r.path("jobs")) {
            JsonNode egress = j.path("egress");
            unsizedBuckets += egress.path("unsizedBuckets").asInt(0);
            jobs.add(List.of(j.path("id").asText(), j.path("name").asText(), j.path("owner").asText(),
                    j.path("status").asText(),
                    JobText.text(j, "cloud") == null ? "-" : j.get("cloud").asText() + "/" + j.path("region").asText("-"),
                    String.valueOf(JobText.text(j, "instanceType")) + (j.path("spot").asBoolean(false) ? " (spot)" : ""),
                    j.hasNonNull("pricePerHour") ? JobText.money(j.get("pricePerHour").asDouble()) : "-",
                    JobText.money(j.path("cost").asDouble()), egress(egress)));
        }
        if (!jobs.isEmpty()) out.print(jobs);
        if (unsizedBuckets > 0) {
            out.println("+N bucket: staged from another cloud, size unknown to job-api, not in EGRESS");
        }
        if (r.path("owners").size() > 0) {
            out.println();
            Table owners = new Table(List.of("OWNER", "JOBS", "COST", "EGRESS"));
            for (JsonNode o : r.path("owners")) {
                owners.add(List.of(o.path("owner").asText(), o.path("jobs").asText(), JobText.money(o.path("cost").asDouble()),
                        o.hasNonNull("egressCost") ? JobText.money(o.get("egressCost").asDouble()) : "-"));
            }
            out.print(owners);
        }
        JsonNode c = r.path("controller");
        if (c.isObject()) {
            out.println();
            printController(c, out);
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

    /** {@code $0.2700}, with {@code (+1 bucket)} when bucket mounts of unknown size came from another cloud. */
    private static String egress(JsonNode egress) {
        if (!egress.isObject()) return "-";
        int buckets = egress.path("unsizedBuckets").asInt(0);
        return JobText.money(egress.path("cost").asDouble())
                + (buckets == 0 ? "" : " (+" + buckets + (buckets == 1 ? " bucket)" : " buckets)"));
    }

    /**
     * {@code Controller: aws/us-east-1/us-east-1a t3.xlarge (cpus 4+, memory 16+), $0.1664/hour = $3.99/day; its 3 VMs
     * have cost $1.23 so far}, then its placements (consecutive VMs on one cloud/region), oldest first.
     */
    private static void printController(JsonNode c, PrintWriter out) {
        StringBuilder line = new StringBuilder("Controller: ").append(c.path("cloud").asText("?")).append('/')
                .append(c.path("region").asText("?"));
        if (JobText.text(c, "zone") != null) line.append('/').append(c.get("zone").asText());
        line.append(' ').append(c.path("instanceType").asText("?"));
        List<String> size = new ArrayList<>();
        if (JobText.text(c, "cpus") != null) size.add("cpus " + c.get("cpus").asText());
        if (JobText.text(c, "memory") != null) size.add("memory " + c.get("memory").asText());
        if (!size.isEmpty()) line.append(" (").append(String.join(", ", size)).append(')');
        line.append(", ").append(JobText.money(c.path("usdPerHour").asDouble())).append("/hour = ")
                .append(JobText.money(c.path("usdPerDay").asDouble())).append("/day");
        int vms = c.path("vms").size();
        if (vms == 0) {
            line.append("; no VM has run yet (the price is the cheapest offer that fits it there)");
        } else {
            line.append("; its ").append(vms == 1 ? "VM has" : vms + " VMs have").append(" cost ")
                    .append(JobText.money(c.path("cost").asDouble())).append(" so far");
        }
        out.println(line);
        Table periods = new Table(List.of("PLACEMENT", "FROM", "TO", "VMS", "COST"));
        for (JsonNode p : c.path("periods")) {
            periods.add(List.of(p.path("cloud").asText("?") + "/" + p.path("region").asText("?"),
                    JobText.text(p, "from") == null ? "-" : Durations.instant(p.get("from").asText()),
                    JobText.text(p, "to") == null ? "now" : Durations.instant(p.get("to").asText()),
                    p.path("vms").asText("-"), JobText.money(p.path("cost").asDouble())));
        }
        if (!periods.isEmpty()) out.print(periods);
    }
}

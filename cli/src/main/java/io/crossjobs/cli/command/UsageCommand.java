package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.format.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code crossjobs usage}: the caller's quotas and what their live jobs hold (GET /usage); admins: every user's. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = {"Your quotas and what your live (not finished) jobs hold of them: jobs, vCPUs, accelerators and "
                + "dollars per hour, and the most nodes one job may have.",
                "A submission that would go over one is refused, naming it. An admin sets a user's quotas with "
                        + "PUT /admin/quotas/USER; admin tokens' own submissions are not limited."})
public final class UsageCommand extends ApiCommand implements Callable<Integer> {

    @Option(names = "--all", description = "Every user with live jobs or quotas of their own (admins only).")
    boolean all;

    @Override
    public Integer call() {
        if (all) {
            Table users = new Table(List.of("USER", "JOBS", "VCPUS", "ACCELERATORS", "$/HOUR", "NODES/JOB", "QUOTAS"));
            for (JsonNode u : api().allUsage()) {
                JsonNode q = u.path("quota");
                JsonNode used = u.path("usage");
                users.add(List.of(u.path("owner").asText(),
                        of(used, q, "liveJobs"), of(used, q, "liveVcpus"), of(used, q, "liveAccelerators"),
                        of(used, q, "liveUsdPerHour"), number(q.path("nodesPerJob")),
                        u.path("custom").asBoolean() ? "own" : "defaults"));
            }
            out().print(users);
            out().flush();
            return 0;
        }
        print(api().usage(), out());
        return 0;
    }

    static void print(JsonNode u, PrintWriter out) {
        JsonNode q = u.path("quota");
        JsonNode used = u.path("usage");
        out.println("Quotas of " + u.path("owner").asText() + (u.path("custom").asBoolean()
                ? " (set by an admin)" : " (the defaults)"));
        Table t = new Table(List.of("QUOTA", "IN USE", "LIMIT"));
        t.add(List.of("live jobs", number(used.path("liveJobs")), number(q.path("liveJobs"))));
        t.add(List.of("live vCPUs", number(used.path("liveVcpus")), number(q.path("liveVcpus"))));
        t.add(List.of("live accelerators", number(used.path("liveAccelerators")), number(q.path("liveAccelerators"))));
        t.add(List.of("live $/hour", money(used.path("liveUsdPerHour")), money(q.path("liveUsdPerHour"))));
        t.add(List.of("nodes per job", "-", number(q.path("nodesPerJob"))));
        out.print(t);
        // print does not flush, and nothing is printed after the table
        out.flush();
    }

    private static String of(JsonNode used, JsonNode quota, String field) {
        boolean usd = field.equals("liveUsdPerHour");
        return (usd ? money(used.path(field)) : number(used.path(field))) + "/"
                + (usd ? money(quota.path(field)) : number(quota.path(field)));
    }

    private static String number(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) return "-";
        double v = n.asDouble();
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String money(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? "-" : String.format(Locale.ROOT, "$%.2f", n.asDouble());
    }
}

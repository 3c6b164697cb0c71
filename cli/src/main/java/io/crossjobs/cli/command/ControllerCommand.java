package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.Durations;
import io.crossjobs.cli.format.JobText;
import io.crossjobs.cli.format.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code crossjobs controller [migrate --cloud X [--region Y]]}: where the jobs controller lives. job-api keeps it
 * running in a cloud VM ({@code GET /controller}); a migration launches a VM at the target and stops the old one
 * once the new one serves ({@code POST /controller/migrate}, followed here until it ends).
 */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = {"Show the jobs controller's placement: as configured and as it is (effective).",
                "The controller runs in a cloud VM that job-api launches, replaces when it is lost, moves "
                        + "(controller migrate) and stops when idle. Shown: configured vs effective placement, the "
                        + "VM it runs in (cluster, instance type, zone, instance id, $/h, up since, process, state), a "
                        + "warning when they differ, a migration under way, its VMs (newest first) and its "
                        + "migrations."},
        subcommands = ControllerCommand.Migrate.class)
public final class ControllerCommand extends ApiCommand implements Callable<Integer> {
    static final int VMS_SHOWN = 10;

    @Option(names = "--vms", paramLabel = "N", description = "how many of its VMs to list, newest first (default: "
            + VMS_SHOWN + "; 0: none)")
    int vms = VMS_SHOWN;

    @Override
    public Integer call() {
        if (vms < 0) throw new CliException("--vms must be 0 or more, got " + vms, 2);
        print(api().controller(), out(), context().clock().instant(), vms);
        return 0;
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Move the jobs controller to another cloud/region (admins): a controller VM is launched "
                    + "there, and the old one stops once the new one serves. Its size is kept; in-flight jobs "
                    + "continue (their state is in PostgreSQL and Kafka).",
                    "Without --detach: prints the controller's history as the move goes on, then exits 0 once the "
                            + "controller serves at the target, or 1 with the reason when the migration failed (the "
                            + "controller then stays where it was)."})
    public static final class Migrate extends ApiCommand implements Callable<Integer> {
        @Option(names = "--cloud", required = true, paramLabel = "CLOUD", description = "aws, gcp or azure")
        String cloud;

        @Option(names = "--region", paramLabel = "REGION",
                description = "a region of that cloud, e.g. us-central1; default: the cloud's cheapest region for "
                        + "the controller's size")
        String region;

        @Option(names = {"-d", "--detach"}, description = "return once the migration has started")
        boolean detach;

        /** How often the migration is polled (GET /controller); tests make it short. */
        @Option(names = "--poll-interval", paramLabel = "MILLIS", hidden = true, defaultValue = "1000")
        long pollMillis;

        @Override
        public Integer call() {
            JobApi api = api();
            JsonNode status = api.migrateController(cloud, region);
            JsonNode migration = status.path("migration");
            if (!migration.isObject()) {
                JsonNode effective = status.path("effective");
                String where = effective.isObject() ? where(effective) : cloud + (region == null ? "" : "/" + region);
                out().println("The controller already runs on " + where + ": nothing to migrate.");
                out().flush();
                return 0;
            }
            JsonNode effective = status.path("effective");
            out().println("Migrating the controller to " + cloudRegion(migration)
                    + (effective.isObject() ? " from " + cloudRegion(effective) : "")
                    + (JobText.text(migration, "since") == null ? ""
                    : " (started " + Durations.instant(migration.get("since").asText()) + ")") + ".");
            out().flush();
            if (detach) {
                out().println("It goes on without this command: ./crossjobs controller shows how it goes.");
                out().flush();
                return 0;
            }
            MigrationFollower follower = new MigrationFollower(api, out(), Duration.ofMillis(Math.max(10, pollMillis)));
            String target = cloudRegion(migration);
            Thread hint = new Thread(() -> {
                if (!follower.finished()) {
                    System.err.println("\ncrossjobs: stopped watching; the migration to " + target
                            + " goes on. ./crossjobs controller shows how it goes.");
                }
            });
            Runtime.getRuntime().addShutdownHook(hint);
            try {
                return follower.follow(status);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hint);
                } catch (IllegalStateException ignored) {
                    // already shutting down: the hook says why
                }
            }
        }
    }

    static void print(JsonNode c, PrintWriter out, Instant now, int vmsShown) {
        String state = JobText.text(c, "state");
        out.println("Controller   " + (JobText.text(c, "id") == null ? "(not recorded yet)" : c.get("id").asText())
                + (state == null ? "" : "   " + state));
        out.println("  configured " + configured(c.path("configured")));
        JsonNode e = c.path("effective");
        String since = JobText.text(c, "since") == null ? "" : "   (placed since " + Durations.instant(c.get("since").asText()) + ")";
        if (e.isObject()) {
            out.println("  effective  " + cloudRegion(e) + size(e) + since);
            out.println("  VM         " + vm(e));
            if (JobText.text(e, "upSince") != null) {
                out.println("             up since " + Durations.at(e.get("upSince").asText(), now));
            }
            List<String> details = new ArrayList<>();
            if (JobText.text(e, "process") != null) details.add("process " + e.get("process").asText());
            if (JobText.text(e, "lastHeartbeat") != null) {
                details.add("last heartbeat " + ago(e, "lastHeartbeat", now));
            }
            if (e.path("assignedPartitions").asInt(0) > 0) {
                details.add(e.get("assignedPartitions").asInt() + " partitions");
            }
            if (!details.isEmpty()) out.println("             " + String.join(", ", details));
        } else {
            out.println("  effective  - (no controller VM runs)" + since);
        }
        JsonNode migration = c.path("migration");
        if (c.path("mismatch").asBoolean(false)) {
            out.println("  WARNING: " + (JobText.text(c, "message") == null
                    ? "the configured placement differs from the effective one" : c.get("message").asText()));
        } else if (!migration.isObject() && JobText.text(c, "message") != null) {
            out.println("  " + c.get("message").asText());
        }
        if (migration.isObject()) {
            out.println("  MIGRATING to " + cloudRegion(migration) + (JobText.text(migration, "since") == null ? ""
                    : " since " + Durations.at(migration.get("since").asText(), now)));
        }
        printVms(c.path("vms"), out, now, vmsShown);
        JsonNode migrations = c.path("migrations");
        if (migrations.isArray() && !migrations.isEmpty()) {
            out.println("Migrations (newest first)");
            for (JsonNode m : migrations) {
                boolean done = m.path("completed").asBoolean(false);
                out.println("  " + Durations.instant(m.path("at").asText()) + "  " + cloudRegion(m.path("from")) + " -> "
                        + cloudRegion(m.path("to")) + "  " + (done ? "done"
                        : "FAILED" + (JobText.text(m, "message") == null ? "" : ": " + m.get("message").asText())));
            }
        }
        out.flush();
    }

    private static void printVms(JsonNode vms, PrintWriter out, Instant now, int shown) {
        if (!vms.isArray() || vms.isEmpty() || shown <= 0) return;
        int count = Math.min(shown, vms.size());
        out.println("VMs (newest first" + (count < vms.size() ? "; " + count + " of " + vms.size() + ", --vms N for more"
                : "") + ")");
        Table table = new Table(List.of("CLUSTER", "WHERE", "INSTANCE", "INSTANCE ID", "$/HOUR", "STATE", "LAUNCHED",
                "ENDED", "REASON"));
        for (int i = 0; i < count; i++) {
            JsonNode vm = vms.get(i);
            table.add(List.of(vm.path("clusterName").asText("-"), zoneWhere(vm), text(vm, "instanceType"),
                    text(vm, "instanceId"),
                    vm.hasNonNull("pricePerHour") ? JobText.money(vm.get("pricePerHour").asDouble()) : "-",
                    text(vm, "state"), ago(vm, "launchedAt", now), ago(vm, "endedAt", now), text(vm, "reason")));
        }
        out.print(table);
    }

    /** {@code cj-ctl-3 on gcp/us-central1/us-central1-a n2-standard-4, instance 8412, $0.1942/h, SERVING}. */
    private static String vm(JsonNode e) {
        StringBuilder s = new StringBuilder(e.path("clusterName").asText("(unnamed)"));
        s.append(" on ").append(where(e));
        if (JobText.text(e, "instanceId") != null) s.append(", instance ").append(e.get("instanceId").asText());
        if (e.hasNonNull("pricePerHour")) s.append(", ").append(JobText.money(e.get("pricePerHour").asDouble())).append("/h");
        if (e.path("spot").asBoolean(false)) s.append(" (spot)");
        if (JobText.text(e, "state") != null) s.append(", ").append(e.get("state").asText());
        return s.toString();
    }

    /** {@code gcp/us-central1/us-central1-a n2-standard-4}. */
    static String where(JsonNode p) {
        String type = JobText.text(p, "instanceType");
        return zoneWhere(p) + (type == null ? "" : " " + type);
    }

    private static String zoneWhere(JsonNode p) {
        return cloudRegion(p) + (JobText.text(p, "zone") == null ? "" : "/" + p.get("zone").asText());
    }

    private static String configured(JsonNode p) {
        if (!p.isObject()) return "-";
        StringBuilder s = new StringBuilder(p.path("cloud").asText("?")).append('/')
                .append(JobText.text(p, "region") == null ? "(cheapest region)" : p.get("region").asText());
        s.append(size(p));
        if (p.path("replicas").asInt(1) != 1) s.append(" replicas=").append(p.get("replicas").asInt());
        if (JobText.text(p, "autostop") != null) s.append(" autostop=").append(duration(p.get("autostop").asText()));
        return s.toString();
    }

    private static String size(JsonNode p) {
        StringBuilder s = new StringBuilder();
        if (JobText.text(p, "cpus") != null) s.append(" cpus=").append(p.get("cpus").asText());
        if (JobText.text(p, "memory") != null) s.append(" memory=").append(p.get("memory").asText());
        return s.toString();
    }

    /** {@code PT1H30M} as {@code 1h30m}; anything else as it is. */
    private static String duration(String iso) {
        try {
            return Duration.parse(iso).toString().substring(2).toLowerCase(Locale.ROOT);
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static String ago(JsonNode node, String field, Instant now) {
        Instant t = Durations.parse(JobText.text(node, field));
        return t == null ? "-" : Durations.ago(t, now);
    }

    private static String text(JsonNode node, String field) {
        String t = JobText.text(node, field);
        return t == null ? "-" : t;
    }

    static String cloudRegion(JsonNode p) {
        return p.path("cloud").asText("?") + "/" + (JobText.text(p, "region") == null ? "?" : p.get("region").asText());
    }
}

package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.format.JobText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code crossjobs controller [migrate --cloud X --region Y]}: where the jobs controller lives. */
@Command(name = "controller", mixinStandardHelpOptions = true,
        description = "Show the jobs controller's placement: as configured and as it is (effective).",
        subcommands = ControllerCommand.Migrate.class)
public final class ControllerCommand extends ApiCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        print(api().controller(), out());
        return 0;
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Move the controller's effective placement (admins). Its size is kept; in-flight jobs "
                    + "continue (their state is in PostgreSQL and Kafka)."})
    public static final class Migrate extends ApiCommand implements Callable<Integer> {
        @Option(names = "--cloud", required = true, paramLabel = "CLOUD", description = "aws, gcp or azure")
        String cloud;

        @Option(names = "--region", required = true, paramLabel = "REGION", description = "a region of that cloud, e.g. us-central1")
        String region;

        @Override
        public Integer call() {
            JsonNode status = api().migrateController(cloud, region);
            out().println("Controller migrated to " + cloud + "/" + region + ".");
            print(status, out());
            return 0;
        }
    }

    static void print(JsonNode c, PrintWriter out) {
        out.println("Controller   " + (JobText.text(c, "id") == null ? "(not started yet)" : c.get("id").asText()));
        out.println("  configured " + placement(c.path("configured")));
        out.println("  effective  " + placement(c.path("effective"))
                + (JobText.text(c, "since") == null ? "" : "   (since " + c.get("since").asText() + ")"));
        if (c.path("mismatch").asBoolean(false)) {
            out.println("  WARNING: " + (JobText.text(c, "message") == null
                    ? "the configured placement differs from the effective one" : c.get("message").asText()));
        }
        JsonNode migrations = c.path("migrations");
        if (migrations.isArray() && !migrations.isEmpty()) {
            out.println("Migrations");
            for (JsonNode m : migrations) {
                out.println("  " + m.path("at").asText() + "  " + cloudRegion(m.path("from")) + " -> " + cloudRegion(m.path("to")));
            }
        }
        out.flush();
    }

    private static String placement(JsonNode p) {
        if (p == null || p.isNull() || p.isMissingNode()) return "-";
        StringBuilder s = new StringBuilder(cloudRegion(p));
        if (JobText.text(p, "cpus") != null) s.append(" cpus=").append(p.get("cpus").asText());
        if (JobText.text(p, "memory") != null) s.append(" memory=").append(p.get("memory").asText());
        return s.toString();
    }

    private static String cloudRegion(JsonNode p) {
        return p.path("cloud").asText("?") + "/" + p.path("region").asText("?");
    }
}

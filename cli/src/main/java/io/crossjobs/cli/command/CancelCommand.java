package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.JobApi;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code crossjobs cancel ID... | -n NAME | --array ID | --all}: SkyPilot's {@code sky jobs cancel}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel managed jobs: by ID, by name, a job array's, or all of yours (an admin: everyone's).",
                "Cancelling is asynchronous: the job goes CANCELLING, then CANCELLED once its cluster is gone."})
public final class CancelCommand extends ApiCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "the jobs' IDs")
        List<String> ids;

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "every unfinished job with this name")
        String name;

        @Option(names = "--array", paramLabel = "ID", description = "every unfinished job of this job array (its first job's ID)")
        String array;

        @Option(names = {"-a", "--all"}, description = "every unfinished job")
        boolean all;
    }

    @Override
    public Integer call() {
        JobApi api = api();
        if (which.ids != null) return byIds(api);
        JsonNode answer = which.name != null ? api.cancelWhere(Map.of("name", which.name))
                : which.array != null ? api.cancelWhere(Map.of("array", which.array))
                : api.cancelWhere(Map.of("all", "true"));
        List<String> requested = texts(answer.path("requested"));
        List<String> already = texts(answer.path("alreadyRequested"));
        if (requested.isEmpty() && already.isEmpty()) {
            out().println(which.name != null ? "No unfinished job is named '" + which.name + "'."
                    : which.array != null ? "No unfinished job in array " + which.array + "." : "No unfinished jobs.");
        }
        if (!requested.isEmpty()) out().println("Cancelling job(s) " + String.join(", ", requested) + ".");
        if (!already.isEmpty()) out().println("Already cancelling: " + String.join(", ", already) + ".");
        out().flush();
        return 0;
    }

    private int byIds(JobApi api) {
        List<String> failures = new ArrayList<>();
        for (String id : which.ids) {
            try {
                JobApi.CancelAnswer answer = api.cancel(id);
                String status = answer.job().path("status").asText();
                out().println(answer.accepted() ? "Cancelling job " + id + " (was " + status + ")."
                        : "Job " + id + " has already finished (" + status + "): nothing to cancel.");
                out().flush();
            } catch (CliException e) {
                if (which.ids.size() == 1) throw e;
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) throw new CliException(String.join("\n", failures));
        return 0;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

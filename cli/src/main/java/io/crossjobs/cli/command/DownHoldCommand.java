package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.format.JobText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code crossjobs down-hold ID...}: ends failed jobs' debug holds now, so their clusters are terminated. */
@Command(name = "down-hold", mixinStandardHelpOptions = true,
        description = {"End the debug hold of failed jobs launched with --keep-on-failure (or resources.keep_on_failure):",
                "their clusters are terminated now instead of when the hold runs out."})
public final class DownHoldCommand extends ApiCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", arity = "1..*", description = "the jobs' IDs")
    List<String> ids;

    @Override
    public Integer call() {
        JobApi api = api();
        List<String> failures = new ArrayList<>();
        for (String id : ids) {
            try {
                JsonNode job = api.releaseHold(id);
                out().println("Job " + id + ": " + JobText.hold(job.path("hold")) + "; terminating it now.");
                out().flush();
            } catch (CliException e) {
                if (ids.size() == 1) throw e;
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) throw new CliException(String.join("\n", failures));
        return 0;
    }
}

package io.crossjobs.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.crossjobs.cli.CliException;
import io.crossjobs.cli.Terminal;
import io.crossjobs.cli.format.JobText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code crossjobs store [remove --cloud X [--yes]]}: the object store that holds what {@code launch} uploads
 * ({@code GET /store}, {@code DELETE /store?cloud=X}; admins).
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {"Show where uploads live (admins): the object store holding the workdirs and files that launch "
                + "uploads.",
                "It is the bucket named by job-api's jobs.bucket when set (the operator's), else the store crossjobs "
                        + "makes on the controller's cloud on first use (asking where it is is a use)."},
        subcommands = StoreCommand.Remove.class)
public final class StoreCommand extends ApiCommand implements Callable<Integer> {
    static final List<String> CLOUDS = List.of("aws", "gcp", "azure");

    @Override
    public Integer call() {
        JsonNode store = api().store();
        String uri = JobText.text(store, "uri");
        if (uri == null) {
            String error = JobText.text(store, "error");
            throw new CliException("the store cannot be reached: " + (error == null ? "job-api did not say why" : error));
        }
        out().println("Uploads are stored in " + uri);
        out().flush();
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Remove the store crossjobs made on a cloud and every upload in it (admins).",
                    "Launches upload what they need again; a job whose nodes have not fetched their files yet may "
                            + "not find them. A bucket named by jobs.bucket is the operator's: job-api never removes it.",
                    "Without --yes: asks for confirmation at a terminal, and refuses (exit 2) when stdin (or stdout) "
                            + "is not one."})
    public static final class Remove extends ApiCommand implements Callable<Integer> {
        @Option(names = "--cloud", required = true, paramLabel = "CLOUD", description = "aws, gcp or azure")
        String cloud;

        @Option(names = {"-y", "--yes"}, description = "remove without asking")
        boolean yes;

        @Override
        public Integer call() {
            if (!CLOUDS.contains(cloud)) {
                throw new CliException("--cloud must be aws, gcp or azure, got '" + cloud + "'", 2);
            }
            if (!yes) confirm(context().terminal());
            JsonNode removed = api().removeStore(cloud);
            int objects = removed.path("deletedObjects").asInt(0);
            out().println("Removed crossjobs' store on " + removed.path("cloud").asText(cloud) + " ("
                    + objects + (objects == 1 ? " object" : " objects") + " deleted).");
            out().flush();
            return 0;
        }

        private void confirm(Terminal terminal) {
            if (!terminal.interactive()) {
                throw new CliException("store remove: stdin is not a terminal, so the removal cannot be confirmed; "
                        + "pass --yes to remove crossjobs' store on " + cloud + " and everything in it", 2);
            }
            out().println("This deletes crossjobs' store on " + cloud + " and every upload in it (the workdirs and "
                    + "files of every user's launches).");
            out().println("A bucket named by jobs.bucket is the operator's and is not removed.");
            out().flush();
            String answer = terminal.readLine("Remove crossjobs' store on " + cloud + "? [y/N] ");
            String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
            if (!a.equals("y") && !a.equals("yes")) throw new CliException("aborted: nothing was removed");
        }
    }
}

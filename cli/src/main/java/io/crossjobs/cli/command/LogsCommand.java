package io.crossjobs.cli.command;

import io.crossjobs.cli.CliException;
import io.crossjobs.cli.client.JobApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code crossjobs logs ID}: SkyPilot's {@code sky jobs logs}. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a job's output (the head node's, or another node's with --node; every attempt).",
                "With -f: follow it until the job finishes, then exit with its outcome (0 SUCCEEDED, 100 failed, 103 cancelled)."})
public final class LogsCommand extends ApiCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "the job's ID")
    String id;

    @Option(names = {"-f", "--follow"}, description = "keep printing new output until the job finishes")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "only the last N lines")
    Integer tail;

    @Option(names = "--node", paramLabel = "RANK", description = "the output of this node of a multi-node job (0 = head)")
    int node;

    @Override
    public Integer call() {
        if (tail != null && tail < 0) throw new CliException("--tail must be 0 or more, got " + tail, 2);
        JobApi api = api();
        if (node < 0) throw new CliException("--node must be 0 or more, got " + node, 2);
        if (follow && tail == null && node == 0) {
            new JobFollower(api, out(), id).followLogsOnly();
        } else {
            // with --tail the lines shown are not the log's first ones, so no catching up after the end; a worker's
            // output is printed as it comes
            api.logs(id, new JobApi.LogQuery(node, follow, tail), line -> {
                out().println(line);
                out().flush();
            });
        }
        if (!follow) return 0;
        return JobFollower.outcome(api.job(id), out());
    }
}

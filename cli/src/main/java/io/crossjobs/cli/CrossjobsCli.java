package io.crossjobs.cli;

import io.crossjobs.cli.command.CancelCommand;
import io.crossjobs.cli.command.CheckCommand;
import io.crossjobs.cli.command.ControllerCommand;
import io.crossjobs.cli.command.CostCommand;
import io.crossjobs.cli.command.UsageCommand;
import io.crossjobs.cli.command.LaunchCommand;
import io.crossjobs.cli.command.LogsCommand;
import io.crossjobs.cli.command.QueueCommand;
import io.crossjobs.cli.command.StackCommand;
import io.crossjobs.cli.command.StoreCommand;
import io.crossjobs.cli.command.WaitCommand;
import io.crossjobs.cli.command.DownHoldCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code ./crossjobs}: SkyPilot's managed-jobs commands ({@code sky jobs launch|queue|logs|cancel}) against
 * job-api. The script runs {@code up|down|status|bench} itself; they are here so that the help lists them.
 */
@Command(name = "crossjobs", mixinStandardHelpOptions = true, version = "crossjobs 0.1.0",
        description = "Managed batch jobs across AWS, GCP and Azure.",
        subcommands = {LaunchCommand.class, QueueCommand.class, LogsCommand.class, CancelCommand.class, WaitCommand.class,
                DownHoldCommand.class,
                ControllerCommand.class, CostCommand.class, UsageCommand.class, CheckCommand.class, StoreCommand.class,
                StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class, StackCommand.Bench.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done (a launched, followed or waited-for job SUCCEEDED); 1 error (server unreachable, "
                + "refused request, bad file); 2 usage; 100 the job failed; 103 the job was cancelled."})
public final class CrossjobsCli implements Runnable {
    /** The job ended in a FAILED* status (SkyPilot's JobExitCode.FAILED). */
    public static final int JOB_FAILED = 100;
    /** The job was cancelled (SkyPilot's JobExitCode.CANCELLED). */
    public static final int JOB_CANCELLED = 103;

    private final CliContext context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public CrossjobsCli(CliContext context) {
        this.context = context;
    }

    public CliContext context() { return context; }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine(CliContext context) {
        CommandLine cli = new CommandLine(new CrossjobsCli(context));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException c) {
                cmd.getErr().println("crossjobs: " + c.getMessage());
                cmd.getErr().flush();
                return c.exitCode();
            }
            cmd.getErr().println("crossjobs: unexpected error: " + e);
            cmd.getErr().flush();
            return CliException.ERROR;
        });
        cli.setParameterExceptionHandler(CrossjobsCli::usageError);
        return cli;
    }

    /** Picocli's own handling of a usage error (message, suggestions or usage, exit 2), without --secret values. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(SecretText.redact(e.getMessage(), SecretText.possibleValues(args)));
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            cmd.usage(err, cmd.getColorScheme());
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    public static void main(String[] args) {
        System.exit(commandLine(CliContext.fromProcess()).execute(args));
    }
}

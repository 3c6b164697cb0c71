package io.crossjobs.cli.command;

import io.crossjobs.cli.CliContext;
import io.crossjobs.cli.CrossjobsCli;
import io.crossjobs.cli.client.JobApi;
import io.crossjobs.cli.config.ConnectionOptions;
import io.crossjobs.cli.config.ConnectionResolver;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** A command that talks to job-api: the connection options, the output and the context. */
abstract class ApiCommand {
    @Mixin
    ConnectionOptions connectionOptions;

    @Spec
    CommandSpec spec;

    protected JobApi api() {
        return new JobApi(new ConnectionResolver(context()).resolve(connectionOptions));
    }

    protected CliContext context() {
        CommandLine c = spec.commandLine();
        while (c.getParent() != null) c = c.getParent();
        return ((CrossjobsCli) c.getCommand()).context();
    }

    protected PrintWriter out() { return spec.commandLine().getOut(); }

    protected PrintWriter err() { return spec.commandLine().getErr(); }
}

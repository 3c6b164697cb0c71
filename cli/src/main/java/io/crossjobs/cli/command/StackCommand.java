package io.crossjobs.cli.command;

import io.crossjobs.cli.CliException;
import picocli.CommandLine.Command;

/** The local stack's commands, run by the ./crossjobs script itself (on the stack module's class path). */
public final class StackCommand {

    @Command(name = "up", description = "Build what is missing and start the local stack (PostgreSQL, Kafka, "
            + "mock-cloud, the services); Ctrl-C stops it.")
    public static final class Up implements Runnable {
        @Override public void run() { throw scriptOnly("up"); }
    }

    @Command(name = "down", description = "Stop the local stack started by up.")
    public static final class Down implements Runnable {
        @Override public void run() { throw scriptOnly("down"); }
    }

    @Command(name = "status", description = "List the local stack's processes.")
    public static final class Status implements Runnable {
        @Override public void run() { throw scriptOnly("status"); }
    }

    @Command(name = "bench", description = "Run the benchmark on a stack of its own (free ports, simulated "
            + "workloads) and print its table; options --name=value, see bench/README.md.")
    public static final class Bench implements Runnable {
        @Override public void run() { throw scriptOnly("bench"); }
    }

    private static CliException scriptOnly(String command) {
        return new CliException("'" + command + "' is run by the ./crossjobs script in the checkout: ./crossjobs " + command, 2);
    }

    private StackCommand() { }
}
